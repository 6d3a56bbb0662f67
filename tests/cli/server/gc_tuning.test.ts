// cli/server/gc_tuning.ts: the server re-executes itself in place with JSC's GC scheduler options — same PID and
// command line (the compiled binary and `bun cli/main.ts` both), the options in its environment, an operator's own
// value kept — and then serves as usual.
import { afterAll, expect, test } from "bun:test";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { SERVER_JSC_OPTIONS } from "../../../cli/server/gc_tuning.ts";
import { bunetcdCommand } from "../../support/bunetcd.ts";
import { freePort } from "../../support/ports.ts";
import { tempDirs } from "../../support/tmp.ts";

const dirs = tempDirs("gc-tuning");
afterAll(() => dirs.cleanup());
const procFile = (pid: number, name: string) => readFileSync(`/proc/${pid}/${name}`, "latin1").split("\0").filter((s) => s !== "");

/** Starts a one-member server with `command`, waits for readiness, returns what /proc says of it, then stops it. */
async function startAndInspect(command: string[], env: Record<string, string> = {}) {
  const [client, peer] = [await freePort(), await freePort()];
  const flags = [
    `--data-dir=${join(dirs.make(), "d")}`,
    `--listen-client-urls=http://127.0.0.1:${client}`, `--advertise-client-urls=http://127.0.0.1:${client}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=default=http://127.0.0.1:${peer}`,
  ];
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BUN_JSC_") && !k.startsWith("BUNETCD_")));
  const p = Bun.spawn([...command, ...flags], { env: { ...clean, ...env }, stdout: "ignore", stderr: "pipe" });
  try {
    const reader = p.stderr.getReader();
    let log = "";
    while (!log.includes("ready to serve client requests")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`server exited before ready: ${log}`);
      log += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    const health = await (await fetch(`http://127.0.0.1:${client}/health`)).json();
    const environ = Object.fromEntries(procFile(p.pid, "environ").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    return { pid: p.pid, cmdline: procFile(p.pid, "cmdline"), environ, health, flags, versionLines: log.split("\n").filter((l) => l.includes("bunetcd Version")).length };
  } finally {
    p.kill("SIGTERM");
    await p.exited;
  }
}

test("the server runs with the GC options in its environment, under its own PID and command line, logging its start once", async () => {
  const command = await bunetcdCommand();
  const r = await startAndInspect(command);
  for (const [name, value] of Object.entries(SERVER_JSC_OPTIONS)) expect(r.environ[name]).toBe(value);
  expect(r.cmdline).toEqual([...command, ...r.flags]); // Bun.spawn's PID is the server, with the arguments it was given
  expect(r.health).toEqual({ health: "true" });
  expect(r.versionLines).toBe(1); // the image before execve printed nothing
});

test("`bun cli/main.ts` re-executes as bun with the same script; an operator's own option value is kept", async () => {
  const script = join(import.meta.dir, "../../../cli/main.ts");
  const r = await startAndInspect([process.execPath, script], { BUN_JSC_minimumMutatorUtilization: "0.5" });
  expect(r.environ.BUN_JSC_minimumMutatorUtilization).toBe("0.5");
  expect(r.environ.BUN_JSC_maximumMutatorUtilization).toBe(SERVER_JSC_OPTIONS.BUN_JSC_maximumMutatorUtilization);
  expect(r.cmdline).toEqual([process.execPath, script, ...r.flags]);
});

test("started through a link named etcd, the server keeps that argv[0] (and so etcd's persona) across the re-execution", async () => {
  const [binary] = await bunetcdCommand();
  if (binary === process.execPath) return; // E2E_BUNETCD=source: no executable to link
  const link = join(dirs.make(), "etcd");
  symlinkSync(binary!, link);
  const r = await startAndInspect([link]);
  expect(r.cmdline).toEqual([link, ...r.flags]);
  expect(r.environ.BUN_JSC_minimumMutatorUtilization).toBe(SERVER_JSC_OPTIONS.BUN_JSC_minimumMutatorUtilization);
});
