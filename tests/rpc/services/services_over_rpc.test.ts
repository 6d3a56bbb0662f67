// Every etcd 3.4 RPC path answers through RpcServer + registerEtcdServices (over the TEST-ONLY fake server):
// built methods reach the server, unbuilt ones answer Unimplemented with bunetcd's message, Authenticate
// answers etcd's auth-disabled error, and requests key.go refuses never reach the server.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { rpctypes } from "../../../rpc/errors.ts";
import { Auth, Cluster, KV, Lease, Maintenance, Watch } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { registerEtcdServices } from "../../../rpc/services/register.ts";
import { createFakeServer, type FakeServer } from "../fakes/fake_server.ts";
import { serve, type TestServer } from "../support/serve.ts";

let srv: TestServer;
let fake: FakeServer;
beforeAll(async () => {
  fake = createFakeServer({ maxTxnOps: 4 });
  srv = await serve((s) => registerEtcdServices(s, fake));
});
afterAll(() => srv.close());

const transport = () => createGrpcTransport({ baseUrl: srv.origin });
const enc = (s: string) => new TextEncoder().encode(s);

/** Calls `method` with `input` (its default message if absent) over gRPC; resolves to the outcome. */
async function call(method: DescMethod, input?: Record<string, unknown>): Promise<{ ok: true; out: unknown[] } | { ok: false; code: Code; message: string }> {
  const client = createClient(method.parent, transport()) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const req = create(method.input, input ?? {});
  try {
    const fn = client[method.localName]!;
    if (method.methodKind === "unary") return { ok: true, out: [await fn(req)] };
    const arg = method.methodKind === "server_streaming" ? req : (async function* () { yield req; })();
    const out: unknown[] = [];
    for await (const m of fn(arg) as AsyncIterable<unknown>) out.push(m);
    return { ok: true, out };
  } catch (e) {
    const ce = ConnectError.from(e);
    return { ok: false, code: ce.code, message: ce.rawMessage };
  }
}

/** Methods the server core answers, with a request it accepts. */
const built = new Map<DescMethod, Record<string, unknown>>([
  [KV.method.range, { key: enc("a") }],
  [KV.method.put, { key: enc("a"), value: enc("1") }],
  [KV.method.deleteRange, { key: enc("a") }],
  [KV.method.txn, {}],
  [KV.method.compact, { revision: 1n }],
  [Maintenance.method.status, {}],
  [Maintenance.method.alarm, {}],
  [Maintenance.method.hash, {}],
  [Maintenance.method.hashKV, {}],
  [Maintenance.method.defragment, {}],
  [Maintenance.method.snapshot, {}],
  [Lease.method.leaseGrant, { TTL: 10n }],
  [Lease.method.leaseRevoke, { ID: 1n }],
  [Lease.method.leaseKeepAlive, { ID: 1n }],
  [Lease.method.leaseTimeToLive, { ID: 1n }],
  [Lease.method.leaseLeases, {}],
  [Cluster.method.memberList, {}],
  [Cluster.method.memberAdd, { peerURLs: ["http://127.0.0.1:2390"], isLearner: true }],
  [Cluster.method.memberRemove, { ID: 1n }],
  [Cluster.method.memberUpdate, { ID: 1n, peerURLs: ["http://127.0.0.1:2391"] }],
  [Cluster.method.memberPromote, { ID: 1n }],
  [Maintenance.method.moveLeader, { targetID: 1n }],
]);

const services: DescService[] = [KV, Watch, Lease, Cluster, Maintenance, Auth];

describe("every etcd RPC answers", () => {
  for (const service of services) {
    for (const method of service.methods) {
      // Watch streams until the client leaves (as etcd's does): tested in watch_service.test.ts and watch_vs_etcd.test.ts
      if (method === Watch.method.watch) continue;
      test(`${service.typeName}/${method.name}`, async () => {
        const r = await call(method, built.get(method));
        if (built.has(method)) {
          expect(r).toMatchObject({ ok: true });
          expect(fake.calls.at(-1)).toBe(method.localName);
        } else if (method === Auth.method.authenticate) {
          expect(r).toEqual({ ok: false, code: rpctypes.AuthNotEnabled.code, message: "etcdserver: authentication is not enabled" });
        } else {
          expect(r).toEqual({ ok: false, code: Code.Unimplemented, message: `bunetcd: ${method.name} is not implemented yet` });
        }
      });
    }
  }
});

describe("KV checks run before the server is called", () => {
  const refused: [string, DescMethod, Record<string, unknown>, keyof typeof rpctypes][] = [
    ["range with an empty key", KV.method.range, {}, "EmptyKey"],
    ["put with an empty key", KV.method.put, { value: enc("v") }, "EmptyKey"],
    ["deleteRange with an empty key", KV.method.deleteRange, {}, "EmptyKey"],
    ["put ignore_value with a value", KV.method.put, { key: enc("k"), value: enc("v"), ignoreValue: true }, "ValueProvided"],
    ["put ignore_lease with a lease", KV.method.put, { key: enc("k"), lease: 7n, ignoreLease: true }, "LeaseProvided"],
    ["txn over max-txn-ops", KV.method.txn, { success: ["a", "b", "c", "d", "e"].map((k) => ({ request: { case: "requestPut", value: { key: enc(k) } } })) }, "TooManyOps"],
    ["txn putting one key twice", KV.method.txn, { success: [1, 2].map(() => ({ request: { case: "requestPut", value: { key: enc("k") } } })) }, "DuplicateKey"],
    ["txn with an empty op", KV.method.txn, { failure: [{}] }, "KeyNotFound"],
  ];
  for (const [name, method, input, err] of refused) {
    test(name, async () => {
      const before = fake.calls.length;
      expect(await call(method, input)).toEqual({ ok: false, code: rpctypes[err].code, message: rpctypes[err].message });
      expect(fake.calls.length).toBe(before);
    });
  }

  test("a valid txn at exactly max-txn-ops reaches the server and is applied", async () => {
    const success = ["t1", "t2", "t3", "t4"].map((k) => ({ request: { case: "requestPut", value: { key: enc(k), value: enc("v") } } }));
    const r = await call(KV.method.txn, { success });
    expect(r).toMatchObject({ ok: true });
    expect(fake.calls.at(-1)).toBe("txn");
    const got = await call(KV.method.range, { key: enc("t1"), rangeEnd: enc("t5") });
    expect(got.ok && (got.out[0] as { count: bigint }).count).toBe(4n);
  });
});
