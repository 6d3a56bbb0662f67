// The real etcdctl 3.4 against bunetcd's services (RpcServer + registerEtcdServices over the TEST-ONLY fake
// server) and against a real etcd 3.4, with the same commands: every request key.go refuses must give the same
// exit code, stdout, gRPC status and final "Error:" line on both. Both run with --max-txn-ops 3.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerEtcdServices } from "../../../rpc/services/register.ts";
import { runEtcdctl, startEtcd, type RealEtcd } from "../../support/etcd.ts";
import { createFakeServer } from "../fakes/fake_server.ts";
import { serve, type TestServer } from "../support/serve.ts";

const MAX_TXN_OPS = 3;
let ours: TestServer;
let real: RealEtcd;
let dataDir: string;

beforeAll(async () => {
  ours = await serve((s) => registerEtcdServices(s, createFakeServer({ maxTxnOps: MAX_TXN_OPS })));
  dataDir = mkdtempSync(join(tmpdir(), "bunetcd-services-etcdctl-"));
  real = await startEtcd(dataDir, ["--max-txn-ops", String(MAX_TXN_OPS)]);
}, 30_000);

afterAll(async () => {
  await ours?.close();
  await real?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What a user sees: exit code, stdout, the gRPC status etcdctl's retry warning logs, and the final error line. */
async function outcome(endpoint: string, args: string[], stdin?: string) {
  const r = await runEtcdctl(endpoint, [...args, "--command-timeout=5s"], stdin);
  const warn = r.stderr.split("\n").find((l) => l.includes("retrying of unary invoker failed"));
  return {
    code: r.code,
    stdout: r.stdout,
    grpcError: warn ? (JSON.parse(warn) as { error: string }).error : undefined,
    errorLine: r.stderr.trim().split("\n").filter((l) => !l.startsWith("{")).at(-1),
  };
}

/** etcdctl txn reads compares, success ops and failure ops from stdin, each list ended by an empty line. */
const txn = (compares: string[], success: string[], failure: string[] = []) =>
  [compares, success, failure].map((l) => l.map((x) => x + "\n").join("") + "\n").join("");

const cases: [string, string[], string?][] = [
  ["put with an empty key", ["put", "", "v"]],
  ["get with an empty key", ["get", ""]],
  ["del with an empty key", ["del", ""]],
  ["put --ignore-lease with a lease", ["put", "k", "v", "--ignore-lease", "--lease=5"]],
  ["txn compare on an empty key", ["txn"], txn([`value("") = "x"`], ["put a 1"])],
  ["txn put with an empty key", ["txn"], txn([], [`put "" 1`])],
  ["txn putting a key twice", ["txn"], txn([], ["put a 1", "put a 2"])],
  ["txn putting and deleting a key", ["txn"], txn([], ["put a 1", "del a"])],
  ["txn with more success ops than --max-txn-ops", ["txn"], txn([], ["put a 1", "put b 2", "put c 3", "put d 4"])],
  ["txn with more failure ops than --max-txn-ops", ["txn"], txn([], [], ["get a", "get b", "get c", "get d"])],
];

describe("refused requests: etcdctl sees the same as with etcd", () => {
  for (const [name, args, stdin] of cases) {
    test(name, async () => {
      const [mine, theirs] = await Promise.all([outcome(ours.origin, args, stdin), outcome(real.endpoint, args, stdin)]);
      expect(theirs.code).not.toBe(0); // the case really is an error on etcd
      expect(mine).toEqual(theirs);
    }, 20_000);
  }
});

describe("accepted requests still work", () => {
  test("a txn at exactly --max-txn-ops succeeds on both", async () => {
    const stdin = txn([], ["put x 1", "put y 2", "put z 3"]);
    const [mine, theirs] = await Promise.all([outcome(ours.origin, ["txn"], stdin), outcome(real.endpoint, ["txn"], stdin)]);
    expect(theirs).toMatchObject({ code: 0, stdout: "SUCCESS\n\nOK\n\nOK\n\nOK\n" });
    expect(mine).toEqual(theirs);
  }, 20_000);

  test("put --ignore-value on an existing key keeps the value on both", async () => {
    for (const ep of [ours.origin, real.endpoint]) {
      expect((await outcome(ep, ["put", "iv", "kept"])).code).toBe(0);
      expect(await outcome(ep, ["put", "iv", "--ignore-value"])).toMatchObject({ code: 0, stdout: "OK\n" });
      expect((await outcome(ep, ["get", "iv", "--print-value-only"])).stdout).toBe("kept\n");
    }
  }, 20_000);
});

describe("features not built yet say so", () => {
  test("etcdctl role add reports bunetcd's Unimplemented message", async () => {
    const r = await runEtcdctl(ours.origin, ["role", "add", "r1", "--command-timeout=5s"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("bunetcd: RoleAdd is not implemented yet");
  }, 20_000);
});
