// Starts bunetcd the way tooling starts etcd (same flags, same readiness line), with the interface of
// startEtcd: {endpoint, etcdctl, stop (SIGTERM, waits, asserts exit 0), kill (SIGKILL)}.
// What runs: dist/bunetcd, rebuilt once per test process (`bun build.ts`) when missing or older than any
// source under cli/, engine/, rpc/ (or package.json, build.ts). E2E_BUNETCD=source runs `bun cli/main.ts`
// instead (no build; handy while the server is changing by the minute).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Member, type MemberOptions, type MemberSpec, startMember } from "./etcd.ts";

const root = join(import.meta.dir, "../..");
export const BUNETCD_BIN = join(root, "dist/bunetcd");

function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") || e.name.endsWith(".json")) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ["cli", "engine", "rpc"]) walk(join(root, d));
  for (const f of ["package.json", "build.ts"]) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

let built: Promise<string[]> | undefined;

/** The argv prefix that runs bunetcd (builds dist/bunetcd first when stale; once per process). */
export function bunetcdCommand(): Promise<string[]> {
  built ??= (async () => {
    if (process.env.E2E_BUNETCD === "source") return [process.execPath, join(root, "cli/main.ts")];
    if (!existsSync(BUNETCD_BIN) || statSync(BUNETCD_BIN).mtimeMs < newestSource()) {
      const p = Bun.spawn([process.execPath, "build.ts"], { cwd: root, stdout: "pipe", stderr: "pipe" });
      const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
      if (code !== 0) throw new Error(`bun build.ts failed (${code}): ${err}`);
    }
    return [BUNETCD_BIN];
  })();
  return built;
}

/** Runs a bunetcd subcommand (e.g. ["backend", "check", file]). */
export async function runBunetcd(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn([...(await bunetcdCommand()), ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

export async function startBunetcd(dataDir: string, extraArgs: string[] = [], opts: MemberOptions = {}): Promise<Member> {
  const spec: MemberSpec = { command: await bunetcdCommand(), cleanExit: (code) => code === 0, label: "bunetcd" };
  return startMember(spec, dataDir, extraArgs, opts);
}
