// Our generated messages encode byte-identically to etcd's gogoproto code: requests captured from the real etcdctl
// (a tiny HTTP/2 listener records the exact gRPC bodies it sends) and responses captured from a real etcd server
// decode with our schemas to the expected fields and re-encode to the very same bytes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteRangeRequestSchema,
  LeaseGrantRequestSchema,
  LeaseGrantResponseSchema,
  PutRequestSchema,
  PutResponseSchema,
  RangeRequest_SortOrder,
  RangeRequest_SortTarget,
  RangeRequestSchema,
  RangeResponseSchema,
  TxnRequestSchema,
  TxnResponseSchema,
  Compare_CompareResult,
  Compare_CompareTarget,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";
import { runEtcdctl, startEtcd, type RealEtcd } from "../../support/etcd.ts";
import { h2connect, rawGrpcCall, unframe } from "../support/raw_grpc.ts";

/** Records the raw request message of every gRPC call and answers each with an empty message and status 0. */
let capture: Http2Server;
let captureUrl: string;
const captured: { path: string; body: Uint8Array }[] = [];

beforeAll(async () => {
  capture = createServer();
  capture.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      for (const m of unframe(Buffer.concat(chunks))) captured.push({ path: String(headers[":path"]), body: m });
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(encodeFrame(new Uint8Array(0)));
    });
  });
  await new Promise<void>((r) => capture.listen(0, "127.0.0.1", () => r()));
  captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => capture.close(() => r())));

/** Runs etcdctl against the capture listener and returns the single message it sent to `path`. */
async function sent(args: string[], path: string, stdin?: string): Promise<Uint8Array> {
  captured.length = 0;
  const r = await runEtcdctl(captureUrl, [...args, "--command-timeout=5s"], stdin);
  expect(r.code).toBe(0);
  const calls = captured.filter((c) => c.path === path);
  expect(calls.length).toBe(1);
  return calls[0].body;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const enc = (s: string) => new TextEncoder().encode(s);

function roundTrips<S extends DescMessage>(schema: S, bytes: Uint8Array) {
  const msg = fromBinary(schema, bytes);
  expect(hex(toBinary(schema, msg))).toBe(hex(bytes));
  return msg;
}

describe("requests sent by etcdctl", () => {
  test("put with --prev-kv and --lease", async () => {
    const b = await sent(["put", "wire-key", "wire-value", "--prev-kv", "--lease=1234abcd"], "/etcdserverpb.KV/Put");
    const m = roundTrips(PutRequestSchema, b);
    expect(m).toMatchObject({ key: enc("wire-key"), value: enc("wire-value"), prevKv: true, lease: 0x1234abcdn });
    // reasoned from the wire format: 0a len key 12 len value 18 varint(lease) 20 01
    expect(hex(b)).toBe("0a08" + hex(enc("wire-key")) + "120a" + hex(enc("wire-value")) + "18cdd7d29101" + "2001");
  }, 15_000);

  test("get with prefix, limit, revision, sort, keys-only and serializable", async () => {
    const b = await sent(
      ["get", "pfx", "--prefix", "--limit=5", "--rev=7", "--order=DESCEND", "--sort-by=MODIFY", "--keys-only", "--consistency=s"],
      "/etcdserverpb.KV/Range",
    );
    const m = roundTrips(RangeRequestSchema, b);
    expect(m).toMatchObject({
      key: enc("pfx"),
      rangeEnd: enc("pfy"),
      limit: 5n,
      revision: 7n,
      sortOrder: RangeRequest_SortOrder.DESCEND,
      sortTarget: RangeRequest_SortTarget.MOD,
      serializable: true,
      keysOnly: true,
    });
  }, 15_000);

  test("del with --from-key and --prev-kv", async () => {
    const m = roundTrips(DeleteRangeRequestSchema, await sent(["del", "a", "--from-key", "--prev-kv"], "/etcdserverpb.KV/DeleteRange"));
    expect(m).toMatchObject({ key: enc("a"), rangeEnd: Uint8Array.of(0), prevKv: true });
  }, 15_000);

  test("txn with a compare, success and failure ops (oneofs, nested messages, enums)", async () => {
    const script = 'mod("k1") > "0"\nvalue("k2") = "x"\n\nput k1 v1\nget k2\n\ndel k3\n\n';
    const m = roundTrips(TxnRequestSchema, await sent(["txn"], "/etcdserverpb.KV/Txn", script));
    expect(m.compare.map((c) => [c.result, c.target])).toEqual([
      [Compare_CompareResult.GREATER, Compare_CompareTarget.MOD],
      [Compare_CompareResult.EQUAL, Compare_CompareTarget.VALUE],
    ]);
    expect(m.compare[1].targetUnion).toEqual({ case: "value", value: enc("x") });
    expect(m.success.map((o) => o.request.case)).toEqual(["requestPut", "requestRange"]);
    expect(m.failure.map((o) => o.request.case)).toEqual(["requestDeleteRange"]);
  }, 15_000);
});

describe("responses sent by real etcd", () => {
  let real: RealEtcd;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bunetcd-rpc-wire-"));
    real = await startEtcd(dir);
  }, 30_000);
  afterAll(async () => {
    await real?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call<S extends DescMessage>(path: string, reqSchema: DescMessage, req: Record<string, unknown>, resSchema: S) {
    const s = await h2connect(real.endpoint);
    try {
      const r = await rawGrpcCall(s, path, encodeFrame(toBinary(reqSchema, create(reqSchema, req as never))));
      expect(r.status).toBe("0");
      const [body] = unframe(r.data);
      return roundTrips(resSchema, body);
    } finally {
      s.close();
    }
  }

  test("Put, Range, Txn and LeaseGrant responses re-encode to etcd's exact bytes", async () => {
    expect((await real.etcdctl(["put", "r1", "one"])).code).toBe(0);
    expect((await real.etcdctl(["put", "r2", "two"])).code).toBe(0);
    const put = await call("/etcdserverpb.KV/Put", PutRequestSchema, { key: enc("r1"), value: enc("uno"), prevKv: true }, PutResponseSchema);
    expect(put.prevKv?.value).toEqual(enc("one"));
    expect(put.header?.clusterId).not.toBe(0n);
    const range = await call("/etcdserverpb.KV/Range", RangeRequestSchema, { key: enc("r"), rangeEnd: enc("s") }, RangeResponseSchema);
    expect(range.kvs.map((kv) => new TextDecoder().decode(kv.value))).toEqual(["uno", "two"]);
    expect(range.count).toBe(2n);
    const txn = await call(
      "/etcdserverpb.KV/Txn",
      TxnRequestSchema,
      { success: [{ request: { case: "requestRange", value: { key: enc("r2") } } }, { request: { case: "requestPut", value: { key: enc("r3"), value: enc("3") } } }] },
      TxnResponseSchema,
    );
    expect(txn.succeeded).toBe(true);
    expect(txn.responses.map((r) => r.response.case)).toEqual(["responseRange", "responsePut"]);
    const lease = await call("/etcdserverpb.Lease/LeaseGrant", LeaseGrantRequestSchema, { TTL: 60n }, LeaseGrantResponseSchema);
    expect(lease.TTL).toBe(60n);
    expect(lease.ID).not.toBe(0n);
  }, 20_000);
});
