// The JSON gateway (rpc/gateway over the TEST-ONLY fake server) against a real etcd 3.4's gateway: the same
// sequence of requests must get the same HTTP status, content type and JSON, field for field, once the values
// that differ between two clusters (ids, raft indexes, db sizes, hashes, URLs) are masked — masked fields must
// still be present on both. Covers field names (snake_case and etcd's camelCase proto names), int64 as
// strings, uint32 as numbers, base64 bytes, omitted defaults, enums by name, the error body, /v3beta/, 404/405.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerEtcdServices } from "../../../rpc/services/register.ts";
import { startEtcd, type RealEtcd } from "../../support/etcd.ts";
import { createFakeServer } from "../fakes/fake_server.ts";
import { serve, type TestServer } from "../support/serve.ts";

let ours: TestServer;
let real: RealEtcd;
let dataDir: string;

beforeAll(async () => {
  ours = await serve((s) => registerEtcdServices(s, createFakeServer()));
  dataDir = mkdtempSync(join(tmpdir(), "bunetcd-gateway-"));
  real = await startEtcd(dataDir);
}, 30_000);

afterAll(async () => {
  await ours?.close();
  await real?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const MASKED = new Set([
  "cluster_id", "member_id", "ID", "leader", "hash", "dbSize", "dbSizeInUse", "raftIndex", "raftAppliedIndex", "peerURLs", "clientURLs",
]);

function mask(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mask);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, MASKED.has(k) ? `<${typeof x}>` : mask(x)]));
  return v;
}

async function fetchOne(origin: string, method: string, path: string, body?: string) {
  const res = await fetch(origin + path, { method, body });
  const text = await res.text();
  const type = res.headers.get("content-type");
  return { status: res.status, type, body: type === "application/json" ? mask(JSON.parse(text)) : text, cors: res.headers.get("access-control-allow-origin") };
}

/** Sends the request to both, in order (ours first), and expects the same answer. */
async function same(path: string, body?: string, method = "POST") {
  const mine = await fetchOne(ours.origin, method, path, body);
  const theirs = await fetchOne(real.endpoint, method, path, body);
  expect(mine).toEqual(theirs);
  return theirs;
}

const b64 = (s: string) => Buffer.from(s).toString("base64");
const FOO = b64("foo"), BAR = b64("bar"), BAZ = b64("baz"), ALL = b64("\0");

// One test: the steps share a store, and each step's revision depends on the ones before it.
test("the same requests get the same answers from bunetcd's gateway and etcd's", async () => {
  expect((await same("/v3/kv/put", JSON.stringify({ key: FOO, value: BAR }))).status).toBe(200);
  const got = await same("/v3/kv/range", JSON.stringify({ key: FOO }));
  expect(got.body).toMatchObject({ header: { revision: "2" }, kvs: [{ key: FOO, create_revision: "2", mod_revision: "2", version: "1", value: BAR }], count: "1" });
  await same("/v3/kv/range", JSON.stringify({ key: b64("none") }));
  await same("/v3/kv/put", JSON.stringify({ key: FOO, value: BAZ, prev_kv: true }));
  await same("/v3/kv/put", JSON.stringify({ key: b64("foo2"), value: BAR, lease: "0" }));
  await same("/v3/kv/range", JSON.stringify({ key: ALL, range_end: ALL, count_only: true }));
  await same("/v3/kv/range", JSON.stringify({ key: ALL, rangeEnd: ALL, keysOnly: true, limit: 1, bogus_field: 1 }));
  await same("/v3/kv/range", JSON.stringify({ key: FOO, range_end: b64("foo3"), limit: "1" }));
  await same("/v3beta/kv/range", JSON.stringify({ key: FOO }));
  await same("/v3/kv/deleterange", JSON.stringify({ key: FOO, prev_kv: true }));
  await same("/v3/kv/deleterange", JSON.stringify({ key: FOO }));
  // a failing compare (enum names), running the failure branch
  await same("/v3/kv/txn", JSON.stringify({
    compare: [{ key: FOO, result: "EQUAL", target: "VALUE", value: BAR }],
    success: [{ request_put: { key: FOO, value: BAR } }],
    failure: [{ request_range: { key: b64("foo2") } }],
  }));
  // a succeeding compare (enum numbers), running a put
  await same("/v3/kv/txn", JSON.stringify({
    compare: [{ key: FOO, result: 0, target: 0, version: "0" }],
    success: [{ request_put: { key: FOO, value: BAR } }],
  }));
  await same("/v3/kv/compaction", JSON.stringify({ revision: "2" }));
  await same("/v3/maintenance/status", "{}");
  await same("/v3/maintenance/alarm", "{}");
  await same("/v3/maintenance/hash", "{}");
  await same("/v3/cluster/member/list", "{}");
}, 30_000);

test("refused requests get etcd's error body and HTTP status", async () => {
  const bodies = [
    ["/v3/kv/put", JSON.stringify({ value: BAR })],
    ["/v3/kv/put", ""],
    ["/v3/kv/range", ""],
    ["/v3/kv/deleterange", "{}"],
    ["/v3/kv/put", JSON.stringify({ key: FOO, value: BAR, ignore_value: true })],
    ["/v3/kv/put", JSON.stringify({ key: FOO, lease: "5", ignore_lease: true })],
    ["/v3/kv/txn", JSON.stringify({ success: [{ request_put: { key: FOO } }, { request_put: { key: FOO } }] })],
    ["/v3/kv/txn", JSON.stringify({ success: [{}] })],
    ["/v3/kv/compaction", JSON.stringify({ revision: "999" })],
    ["/v3/auth/authenticate", JSON.stringify({ name: "root", password: "x" })],
  ] as const;
  for (const [path, body] of bodies) {
    const r = await same(path, body);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(Object.keys(r.body as object)).toEqual(["error", "message", "code"]);
  }
}, 30_000);

test("paths and methods outside the gateway: 404, 405, OPTIONS, /version, /health", async () => {
  expect((await same("/v3/kv/nothing", "{}")).status).toBe(404);
  expect((await same("/v3/kv/range/", "{}")).status).toBe(404);
  expect((await same("/v3/kv/range", undefined, "GET")).status).toBe(405);
  expect((await same("/v3/kv/range", undefined, "OPTIONS")).status).toBe(200);
  expect((await same("/health", undefined, "OPTIONS")).status).toBe(200);
  expect((await same("/nothing", undefined, "GET")).status).toBe(404);
  expect((await same("/version", undefined, "GET")).body).toEqual({ etcdserver: "3.4.23", etcdcluster: "3.4.0" });
  expect((await same("/version", undefined, "POST")).status).toBe(405);
  expect((await same("/health", undefined, "GET")).body).toBe(`{"health":"true"}`);
  expect((await same("/health", undefined, "POST")).status).toBe(405);
}, 30_000);
