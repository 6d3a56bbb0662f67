// The client inside the bunetcd binary beyond etcdctl parity: how the binary picks its persona (a real
// symlink named etcdctl / etcd, or bunetcd with a client command first), bunetcd's extras (get --history,
// --count-only, table output for every result), and the client against bunetcd's own server (etcdctl and
// bunetcd-as-etcdctl must print the same for the same server).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { bunetcdCommand, startBunetcd } from "../support/bunetcd.ts";
import { clientCommand, ctlSteps, label, normalize, runClient, runScript } from "../support/ctl.ts";
import type { Member } from "../support/etcd.ts";
import { tempDirs } from "../support/tmp.ts";

const dirs = tempDirs("ctl-bunetcd");
let server: Member;
let work: string;

beforeAll(async () => {
  work = dirs.make("work");
  server = await startBunetcd(dirs.make("data"));
  for (const v of ["v1", "v2", "v3"]) await server.etcdctl(["put", "hist", v]);
  await server.etcdctl(["put", "other", "x"]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  dirs.cleanup();
});

describe("persona", () => {
  test("a symlink named etcdctl is etcdctl; bunetcd keeps its own version text", async () => {
    const c = await clientCommand("bunetcd", join(work, "bin"));
    const asCtl = await runClient(c, ["version"]);
    expect(asCtl).toEqual({ code: 0, stdout: "etcdctl version: 3.4.23\nAPI version: 3.4\n", stderr: "" });
    const own = await runClient(await clientCommand("bunetcd", work, true), ["version"]);
    expect(own.code).toBe(0);
    expect(own.stdout).toStartWith("bunetcd Version: ");
  });

  test("a symlink named etcd is the server", async () => {
    const base = await bunetcdCommand();
    if (base.length > 1) return; // source mode has no binary to link
    const link = join(work, "etcd");
    symlinkSync(base[0]!, link);
    const r = await runClient({ cmd: [link] }, ["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("bunetcd Version: ");
    const bad = await runClient({ cmd: [link] }, ["get", "x"]);
    expect(bad.code).not.toBe(0);
  });
});

describe("bunetcd extras (command first)", () => {
  const run = async (args: string[]) => runClient(await clientCommand("bunetcd", work, true), [args[0]!, `--endpoints=${server.endpoint}`, ...args.slice(1)]);

  test("get --history prints every retained revision, oldest first", async () => {
    const r = await run(["get", "hist", "--history"]);
    expect(r).toEqual({ code: 0, stdout: "hist\nv1\nhist\nv2\nhist\nv3\n", stderr: "" });
  });

  test("get --count-only", async () => {
    const r = await run(["get", "--prefix", "", "--count-only"]);
    expect(r).toEqual({ code: 0, stdout: "2\n", stderr: "" });
  });

  test("table output for any result", async () => {
    const get = await run(["get", "other", "-w", "table"]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain("|  KEY  | VALUE | CREATE REVISION | MOD REVISION | VERSION | LEASE |");
    expect(get.stdout).toMatch(/\| other \|     x \|\s+\d+ \|\s+\d+ \|       1 \|     0 \|/);
    const put = await run(["put", "t", "1", "-w", "table"]);
    expect(put.code).toBe(0);
    expect(put.stdout).toMatch(/\| ClusterID \|\s+\d+ \|/);
  });

  test("as etcdctl the extras are refused like etcdctl refuses them", async () => {
    const c = await clientCommand("bunetcd", join(work, "bin"));
    const r = await runClient(c, [`--endpoints=${server.endpoint}`, "get", "other", "-w", "table"]);
    expect(r).toEqual({ code: 4, stdout: "", stderr: "Error: table not supported as output format\n" });
  });
});

describe("lease keep-alive until the lease is revoked", () => {
  test("etcdctl and bunetcd-as-etcdctl print the same and exit 0", async () => {
    const outcomes = [];
    for (const client of ["etcdctl", "bunetcd"] as const) {
      const id = /lease ([0-9a-f]+) granted/.exec((await server.etcdctl(["lease", "grant", "5"])).stdout)![1]!;
      const revoke = Bun.sleep(1000).then(() => server.etcdctl(["lease", "revoke", id]));
      const r = await runClient(await clientCommand(client, join(work, "bin")), [`--endpoints=${server.endpoint}`, "lease", "keep-alive", id]);
      await revoke;
      outcomes.push({ ...r, stdout: r.stdout.replaceAll(id, "<id>") });
    }
    expect(outcomes[0]).toEqual({ code: 0, stdout: "lease <id> keepalived with TTL(5)\nlease <id> expired or revoked.\n", stderr: "" });
    expect(outcomes[1]).toEqual(outcomes[0]!);
  }, 30_000);
});

describe("offline snapshot commands", () => {
  test("snapshot status goes to the offline tool, as etcdctl and as bunetcd", async () => {
    const file = join(work, "status.db");
    expect((await server.etcdctl(["snapshot", "save", file])).code).toBe(0);
    const ref = await runClient({ cmd: ["etcdctl"] }, ["-w", "json", "snapshot", "status", file]);
    expect(ref.code).toBe(0);
    const asCtl = await runClient(await clientCommand("bunetcd", join(work, "bin")), ["-w", "json", "snapshot", "status", file]);
    expect(asCtl).toEqual(ref);
    const own = await runClient(await clientCommand("bunetcd", work, true), ["snapshot", "status", file, "-w", "json"]);
    expect(own).toEqual(ref);
  });
});

describe("against bunetcd's server", () => {
  test("etcdctl and bunetcd-as-etcdctl print the same", async () => {
    const steps = ctlSteps([
      "get hist -w json",
      { args: ["get", "--prefix", "", "-w", "fields"] },
      "get hist --rev 2",
      "member list -w table",
      "endpoint status -w json",
      "endpoint hashkv",
      "lease list",
      "lease timetolive 1234",
      "get nope -w protobuf",
    ]);
    const ref = await runScript(await clientCommand("etcdctl", work), server.endpoint, steps);
    const ours = await runScript(await clientCommand("bunetcd", join(work, "bin")), server.endpoint, steps);
    const diffs = steps.flatMap((s, i) => {
      const a = JSON.stringify({ ...ref.outcomes[i], stderr: normalize(ref.outcomes[i]!.stderr, []) });
      const b = JSON.stringify({ ...ours.outcomes[i], stderr: normalize(ours.outcomes[i]!.stderr, []) });
      return a === b ? [] : [`$ ${label(s)}\n${a}\n${b}`];
    });
    expect(diffs.join("\n\n")).toBe("");
  }, 60_000);
});
