// RpcServerOptions.onCallDone (the hook behind etcd's go-grpc-prometheus counters and request logging): every call
// is reported exactly once, with service, method, type, grpc-go code name and protocol right, over gRPC (the fast
// path), Connect and gRPC-web. Covers unary OK / error, errors raised before the implementation (request too
// large), server streaming, bidi streaming, a registered-but-unimplemented method, an unknown service, and a
// client that cancels a stream. TEST-ONLY inline implementations; the server runs on a free port.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { KV, Lease, Maintenance, Watch, type WatchRequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { codeName, codeNameFromConnect, type CallInfo } from "../../../rpc/grpc/call_report.ts";
import { serve, type TestServer } from "../support/serve.ts";

const MAX_RECV = 1024;
const reports: CallInfo[] = [];
let srv: TestServer;
let slow: TestServer;

beforeAll(async () => {
  srv = await serve(
    (s) =>
      s
        .service(KV, {
          put: () => ({}), // sync: the gRPC unary fast path
          range: async () => {
            throw new ConnectError("etcdserver: bad range (test)", Code.InvalidArgument);
          },
        })
        .service(Maintenance, {
          async *snapshot() {
            for (let i = 0; i < 3; i++) yield { remainingBytes: BigInt(2 - i) };
          },
        })
        .service(Watch, {
          async *watch(requests) {
            for await (const r of requests) yield { watchId: r.requestUnion.case === "createRequest" ? 7n : 0n };
          },
        }),
    { maxRecvBytes: MAX_RECV, onCallDone: (info) => reports.push(info) },
  );
  // a snapshot that yields once, then waits for the client to cancel
  slow = await serve(
    (s) =>
      s.service(Maintenance, {
        async *snapshot(_request, ctx) {
          yield { remainingBytes: 1n };
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
        },
      }),
    { onCallDone: (info) => reports.push(info) },
  );
});
afterAll(async () => {
  await srv.close();
  await slow.close();
});

/** Runs `call` (ignoring its outcome) and returns the one report it produced, failing on none or several. */
async function reportOf(call: () => Promise<unknown>): Promise<CallInfo> {
  reports.length = 0;
  await call().catch(() => {});
  for (let i = 0; i < 200 && reports.length === 0; i++) await Bun.sleep(5);
  await Bun.sleep(30); // a second report would arrive by now
  expect(reports).toHaveLength(1);
  expect(reports[0].seconds).toBeGreaterThanOrEqual(0);
  expect(reports[0].seconds).toBeLessThan(10);
  return reports[0];
}

async function drain(it: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

const transports: [string, CallInfo["protocol"], (baseUrl: string) => Transport][] = [
  ["gRPC", "grpc", (baseUrl) => createGrpcTransport({ baseUrl })],
  ["Connect / HTTP/2", "connect", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" })],
  ["gRPC-web / HTTP/2", "grpc-web", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "2" })],
];

for (const [name, protocol, make] of transports) {
  describe(`onCallDone over ${name}`, () => {
    const kv = () => createClient(KV, make(srv.origin));

    test("unary OK", async () => {
      expect(await reportOf(() => kv().put({ key: new Uint8Array([1]) }))).toMatchObject({
        service: "etcdserverpb.KV",
        method: "Put",
        type: "unary",
        code: "OK",
        protocol,
      });
    });

    test("unary error keeps its code", async () => {
      const r = await reportOf(() => kv().range({ key: new Uint8Array([1]) }));
      expect(r).toMatchObject({ service: "etcdserverpb.KV", method: "Range", type: "unary", code: "InvalidArgument", protocol });
    });

    test("request over the size limit is ResourceExhausted (raised before the implementation runs)", async () => {
      const r = await reportOf(() => kv().put({ key: new Uint8Array([1]), value: new Uint8Array(4 * MAX_RECV) }));
      expect(r).toMatchObject({ method: "Put", type: "unary", code: "ResourceExhausted", protocol });
    });

    test("registered but unimplemented method is Unimplemented", async () => {
      const r = await reportOf(() => kv().deleteRange({ key: new Uint8Array([1]) }));
      expect(r).toMatchObject({ service: "etcdserverpb.KV", method: "DeleteRange", code: "Unimplemented", protocol });
    });

    test("method of an unregistered service is Unimplemented", async () => {
      const r = await reportOf(() => createClient(Lease, make(srv.origin)).leaseGrant({ TTL: 5n }));
      expect(r).toMatchObject({ service: "etcdserverpb.Lease", method: "LeaseGrant", code: "Unimplemented", protocol });
    });

    test("server stream", async () => {
      let n = 0;
      const r = await reportOf(async () => (n = await drain(createClient(Maintenance, make(srv.origin)).snapshot({}))));
      expect(n).toBe(3);
      expect(r).toMatchObject({ service: "etcdserverpb.Maintenance", method: "Snapshot", type: "server_stream", code: "OK", protocol });
    });

    test("bidi stream", async () => {
      const requests = async function* (): AsyncGenerator<MessageInitShape<typeof WatchRequestSchema>> {
        yield { requestUnion: { case: "createRequest", value: { key: new Uint8Array([1]) } } };
        yield { requestUnion: { case: "progressRequest", value: {} } };
      };
      let n = 0;
      const r = await reportOf(async () => (n = await drain(createClient(Watch, make(srv.origin)).watch(requests()))));
      expect(n).toBe(2);
      expect(r).toMatchObject({ service: "etcdserverpb.Watch", method: "Watch", type: "bidi_stream", code: "OK", protocol });
    });
  });
}

// Cancellation on every transport. Over HTTP/2 Bun emits 'finish' before 'close' on a client's RST_STREAM, so the
// exchange (rpc/http/exchange.ts) listens for 'aborted' too; the HTTP/2 row guards that.
const cancelTransports: [string, CallInfo["protocol"], (baseUrl: string) => Transport, boolean][] = [
  ["gRPC", "grpc", (baseUrl) => createGrpcTransport({ baseUrl }), true],
  ["Connect / HTTP/1.1", "connect", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" }), true],
  ["gRPC-web / HTTP/1.1", "grpc-web", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }), true],
  ["Connect / HTTP/2", "connect", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" }), true],
];
for (const [name, protocol, make, works] of cancelTransports) {
  (works ? test : test.todo)(`a server stream the client cancels is Canceled, over ${name}`, async () => {
    const ac = new AbortController();
    const r = await reportOf(async () => {
      for await (const _ of createClient(Maintenance, make(slow.origin)).snapshot({}, { signal: ac.signal })) ac.abort();
    });
    expect(r).toMatchObject({ service: "etcdserverpb.Maintenance", method: "Snapshot", type: "server_stream", code: "Canceled", protocol });
  });
}

test("code names are grpc-go's codes.Code.String()", () => {
  expect([0, 1, 3, 8, 12, 14, 16].map(codeName)).toEqual([
    "OK", "Canceled", "InvalidArgument", "ResourceExhausted", "Unimplemented", "Unavailable", "Unauthenticated",
  ]);
  expect(codeName(42)).toBe("Code(42)");
  expect(codeNameFromConnect("failed_precondition")).toBe("FailedPrecondition");
  expect(codeNameFromConnect("no_such_code")).toBe("Unknown");
});

test("a throwing hook neither breaks the call nor the server", async () => {
  const errors: unknown[] = [];
  const s = await serve((x) => x.service(KV, { put: () => ({}) }), {
    onCallDone: () => {
      throw new Error("hook bug");
    },
    onInternalError: (e) => errors.push(e),
  });
  try {
    for (const [, , make] of transports) await createClient(KV, make(s.origin)).put({});
    expect(errors).toHaveLength(transports.length);
  } finally {
    await s.close();
  }
});
