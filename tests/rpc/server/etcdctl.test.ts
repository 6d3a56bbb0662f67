// The real etcdctl 3.4 (a Go gRPC client) against RpcServer with the TEST-ONLY fake KV: gRPC framing, headers and
// trailers are right if etcdctl's put/get work, and errors must print exactly what real etcd makes etcdctl print.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KV } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { runEtcdctl, startEtcd, type RealEtcd } from "../../support/etcd.ts";
import { createFakeKv } from "../fakes/fake_kv.ts";
import { serve, type TestServer } from "../support/serve.ts";

/** Real etcd is started with this --max-request-bytes; the fake rejects above the same size. */
const MAX_REQUEST_BYTES = 1024;
/** etcd lets gRPC receive max-request-bytes + 512 KiB before grpc-go itself refuses the message. */
const GRPC_MAX_RECV = MAX_REQUEST_BYTES + 512 * 1024;

let ours: TestServer;
let real: RealEtcd;
let dataDir: string;

beforeAll(async () => {
  ours = await serve((s) => s.service(KV, createFakeKv({ maxRequestBytes: MAX_REQUEST_BYTES }).impl), { maxRecvBytes: GRPC_MAX_RECV });
  dataDir = mkdtempSync(join(tmpdir(), "bunetcd-rpc-etcdctl-"));
  real = await startEtcd(dataDir, ["--max-request-bytes", String(MAX_REQUEST_BYTES)]);
}, 30_000);

afterAll(async () => {
  await ours?.close();
  await real?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const ctl = (args: string[], stdin?: string) => runEtcdctl(ours.origin, [...args, "--command-timeout=5s"], stdin);

/** What etcdctl reports for a failed call: the gRPC status in its retry warning, and its final Error line. */
function failure(stderr: string) {
  const warn = stderr.split("\n").find((l) => l.includes("retrying of unary invoker failed"));
  return {
    grpcError: warn ? (JSON.parse(warn) as { error: string }).error : undefined,
    errorLine: stderr.trim().split("\n").at(-1),
  };
}

describe("etcdctl against the fake KV over gRPC", () => {
  test("put, then get -w json returns the stored key-value with the header fields", async () => {
    const put = await ctl(["put", "greeting", "hello"]);
    expect(put).toMatchObject({ code: 0, stdout: "OK\n" });
    const get = await ctl(["get", "greeting", "-w", "json"]);
    expect(get.code).toBe(0);
    const j = JSON.parse(get.stdout);
    expect(j.header).toEqual({ cluster_id: 0x1234, member_id: 0x5678, revision: j.kvs[0].mod_revision, raft_term: 2 });
    expect(j.count).toBe(1);
    expect(Buffer.from(j.kvs[0].key, "base64").toString()).toBe("greeting");
    expect(Buffer.from(j.kvs[0].value, "base64").toString()).toBe("hello");
    expect(j.kvs[0].version).toBe(1);
  }, 20_000);

  test("get --prefix lists keys in order, sent as a range_end", async () => {
    for (const [k, v] of [["dir/b", "2"], ["dir/a", "1"], ["dis", "x"], ["dir0", "y"]]) expect((await ctl(["put", k, v])).code).toBe(0);
    const get = await ctl(["get", "--prefix", "dir/"]);
    expect(get).toMatchObject({ code: 0, stdout: "dir/a\n1\ndir/b\n2\n" });
  }, 20_000);

  test("a value with binary and UTF-8 bytes round-trips", async () => {
    const value = "ü\tß—✓ 100%";
    expect((await ctl(["put", "utf", value])).code).toBe(0);
    expect((await ctl(["get", "utf", "--print-value-only"])).stdout).toBe(value + "\n");
  }, 20_000);

  test("an oversized put fails exactly as against real etcd: etcdserver: request is too large, exit 1", async () => {
    const args = ["put", "big", "x".repeat(2 * MAX_REQUEST_BYTES)];
    const [a, b] = [await ctl(args), await real.etcdctl([...args, "--command-timeout=5s"])];
    expect(b.code).toBe(1);
    expect(failure(b.stderr)).toEqual({
      grpcError: "rpc error: code = InvalidArgument desc = etcdserver: request is too large",
      errorLine: "Error: etcdserver: request is too large",
    });
    expect(a.code).toBe(b.code);
    expect(failure(a.stderr)).toEqual(failure(b.stderr));
  }, 30_000);

  test("a message over the gRPC receive limit fails as grpc-go's own check does in real etcd", async () => {
    const value = "y".repeat(GRPC_MAX_RECV); // too long for one argv string: etcdctl reads it from stdin
    const [a, b] = [await ctl(["put", "huge"], value), await real.etcdctl(["put", "huge", "--command-timeout=5s"], value)];
    expect(b.code).toBe(1);
    expect(failure(b.stderr).grpcError).toMatch(/^rpc error: code = ResourceExhausted desc = grpc: received message larger than max \(\d+ vs\. 525312\)$/);
    expect(a.code).toBe(b.code);
    expect(failure(a.stderr)).toEqual(failure(b.stderr));
    // and the server still serves afterwards
    expect((await ctl(["get", "greeting", "--print-value-only"])).stdout).toBe("hello\n");
  }, 30_000);

  test("a service error from the table (empty key) keeps its code and message", async () => {
    const r = await ctl(["get", ""]);
    expect(r.code).toBe(1);
    expect(failure(r.stderr)).toEqual({
      grpcError: "rpc error: code = InvalidArgument desc = etcdserver: key is not provided",
      errorLine: "Error: etcdserver: key is not provided",
    });
  }, 20_000);

  test("a method the fake does not implement is Unimplemented, and the server keeps serving", async () => {
    const r = await ctl(["del", "greeting"]);
    expect(r.code).toBe(1);
    expect(failure(r.stderr).grpcError).toBe("rpc error: code = Unimplemented desc = etcdserverpb.KV.DeleteRange is not implemented");
    expect((await ctl(["get", "greeting", "--print-value-only"])).stdout).toBe("hello\n");
  }, 20_000);

  test("endpoint health (a Range of key \"health\") succeeds", async () => {
    const r = await ctl(["endpoint", "health"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("is healthy");
  }, 20_000);
});
