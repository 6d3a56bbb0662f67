// Bad input on the gRPC path, sent with a raw HTTP/2 client: each failure gets grpc-go's status code, the
// response is well-formed (Trailers-Only for errors before any message), and the same connection and the server
// keep serving. Also: status text encoding on the wire, custom headers/trailers, garbage bytes on the TCP port.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ClientHttp2Session } from "node:http2";
import { connect as netConnect, createServer as createNetServer, type AddressInfo } from "node:net";
import {
  KV,
  PutRequestSchema,
  RangeRequestSchema,
  RangeResponseSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { decodeGrpcMessage } from "../../../rpc/grpc/status.ts";
import { createFakeKv } from "../fakes/fake_kv.ts";
import { frame, h2connect, rawGrpcCall } from "../support/raw_grpc.ts";
import { serve, type TestServer } from "../support/serve.ts";

const MAX_RECV = 4096;
const internalErrors: unknown[] = [];
let srv: TestServer;
let session: ClientHttp2Session;
const kv = createFakeKv();

beforeAll(async () => {
  srv = await serve(
    (s) =>
      s.service(KV, {
        ...kv.impl,
        // test-only behaviours on top of the fake, selected by key
        async deleteRange(req, ctx) {
          const key = new TextDecoder().decode(req.key);
          if (key === "throw-plain") throw new TypeError("plain failure");
          if (key === "odd-message") throw new ConnectError("100% ünïcode\nline2", Code.FailedPrecondition);
          ctx.responseHeader.set("x-test-header", "h");
          ctx.responseTrailer.set("x-test-trailer", "t");
          return {};
        },
      }),
    { maxRecvBytes: MAX_RECV, onInternalError: (e) => internalErrors.push(e) },
  );
  session = await h2connect(srv.origin);
});
afterAll(async () => {
  session.close();
  await srv.close();
});

const rangeBody = () => frame(toBinary(RangeRequestSchema, create(RangeRequestSchema, { key: new TextEncoder().encode("k") })));

/** A valid call on the shared session still works. */
async function stillServes() {
  const r = await rawGrpcCall(session, "/etcdserverpb.KV/Range", rangeBody());
  expect(r.status).toBe("0");
  expect(r.headers[":status"]).toBe(200);
  expect(r.headers["content-type"]).toBe("application/grpc");
}

describe("malformed gRPC requests", () => {
  const cases: [string, Uint8Array, Code, RegExp][] = [
    ["undecodable protobuf", frame(Uint8Array.of(0x0a, 0x7f, 0x01)), Code.InvalidArgument, /^grpc: error unmarshalling request: /],
    ["a frame cut short", frame(new Uint8Array(10)).subarray(0, 8), Code.Internal, /^grpc: request ended inside a message frame$/],
    ["no message at all", new Uint8Array(0), Code.Internal, /exactly one message, got 0$/],
    ["two messages for a unary call", Buffer.concat([rangeBody(), rangeBody()]), Code.Internal, /exactly one message, got 2$/],
    ["a compressed frame", Uint8Array.of(1, 0, 0, 0, 1, 0), Code.Unimplemented, /compressed messages are not supported/],
    ["a message over the receive limit", frame(new Uint8Array(MAX_RECV + 1)), Code.ResourceExhausted, /^grpc: received message larger than max \(4097 vs\. 4096\)$/],
  ];
  for (const [name, body, code, message] of cases) {
    test(`${name} → ${Code[code]} as a Trailers-Only response; the connection keeps serving`, async () => {
      const r = await rawGrpcCall(session, "/etcdserverpb.KV/Range", body);
      expect(r.headers[":status"]).toBe(200);
      expect(r.headers["content-type"]).toBe("application/grpc");
      expect(r.headers["grpc-status"]).toBe(String(code));
      expect(decodeGrpcMessage(String(r.message))).toMatch(message);
      expect(r.data.length).toBe(0);
      await stillServes();
    });
  }

  test("unknown service and unknown method are Unimplemented with grpc-go's wording", async () => {
    const svc = await rawGrpcCall(session, "/foo.Bar/Baz", rangeBody());
    expect([svc.status, svc.message]).toEqual([String(Code.Unimplemented), "unknown service foo.Bar"]);
    const method = await rawGrpcCall(session, "/etcdserverpb.KV/Nope", rangeBody());
    expect([method.status, method.message]).toEqual([String(Code.Unimplemented), "unknown method Nope for service etcdserverpb.KV"]);
    await stillServes();
  });
});

describe("statuses, headers and trailers on the wire", () => {
  test("a success sends headers, one message, then trailers with grpc-status 0 only", async () => {
    const r = await rawGrpcCall(session, "/etcdserverpb.KV/Range", rangeBody());
    expect(r.headers["grpc-status"]).toBeUndefined();
    expect(r.trailers["grpc-status"]).toBe("0");
    expect(r.trailers["grpc-message"]).toBeUndefined();
    expect(r.data[0]).toBe(0);
    expect(r.data.readUInt32BE(1)).toBe(r.data.length - 5);
    expect(fromBinary(RangeResponseSchema, r.data.subarray(5)).header?.clusterId).toBe(0x1234n);
  });

  test("headers and trailers a service sets are sent", async () => {
    const body = frame(toBinary(RangeRequestSchema, create(RangeRequestSchema, { key: new TextEncoder().encode("ok") })));
    const r = await rawGrpcCall(session, "/etcdserverpb.KV/DeleteRange", body);
    expect(r.headers["x-test-header"]).toBe("h");
    expect(r.trailers["x-test-trailer"]).toBe("t");
    expect(r.trailers["grpc-status"]).toBe("0");
  });

  test("grpc-message is percent-encoded UTF-8 and decodes back to the exact text", async () => {
    const body = frame(toBinary(RangeRequestSchema, create(RangeRequestSchema, { key: new TextEncoder().encode("odd-message") })));
    const r = await rawGrpcCall(session, "/etcdserverpb.KV/DeleteRange", body);
    expect(r.status).toBe(String(Code.FailedPrecondition));
    expect(r.message).toBe("100%25 %C3%BCn%C3%AFcode%0Aline2");
    expect(decodeGrpcMessage(r.message!)).toBe("100% ünïcode\nline2");
  });

  test("a non-ConnectError thrown by a service is Unknown with its message, and reported as internal", async () => {
    const before = internalErrors.length;
    const body = frame(toBinary(RangeRequestSchema, create(RangeRequestSchema, { key: new TextEncoder().encode("throw-plain") })));
    const r = await rawGrpcCall(session, "/etcdserverpb.KV/DeleteRange", body);
    expect([r.status, r.message]).toEqual([String(Code.Unknown), "plain failure"]);
    expect(internalErrors.length).toBe(before + 1);
  });

  test("bytes fields of requests stay intact after later traffic (received buffers are not reused)", async () => {
    const keep: { bytes: Uint8Array; text: string }[] = [];
    const probe = await serve((s) =>
      s.service(KV, {
        put(req) {
          keep.push({ bytes: req.value, text: new TextDecoder().decode(req.value) });
          return {};
        },
      }),
    );
    const c = await h2connect(probe.origin);
    try {
      for (let round = 0; round < 10; round++) {
        await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            rawGrpcCall(c, "/etcdserverpb.KV/Put", frame(toBinary(PutRequestSchema, create(PutRequestSchema, { key: Uint8Array.of(1), value: new TextEncoder().encode(`value ${round}/${i} `.repeat(1 + i)) })))),
          ),
        );
      }
      expect(keep.length).toBe(500);
      expect(keep.filter((k) => new TextDecoder().decode(k.bytes) !== k.text).length).toBe(0);
    } finally {
      c.close();
      await probe.close();
    }
  });
});

describe("the TCP port", () => {
  test("garbage that is neither HTTP/1 nor HTTP/2 gets the connection closed, and the server keeps serving", async () => {
    const port = Number(new URL(srv.origin).port);
    const closed = await new Promise<boolean>((resolve) => {
      const sock = netConnect(port, "127.0.0.1", () => sock.write(Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10])));
      sock.on("data", () => {});
      sock.on("error", () => {});
      sock.on("close", () => resolve(true));
      setTimeout(() => {
        sock.destroy();
        resolve(false);
      }, 3000);
    });
    expect(closed).toBe(true);
    await stillServes();
  });

  test("an HTTP/2 preface that arrives in 3-byte pieces is still recognized", async () => {
    // a TCP relay that forwards the client's first 24 bytes (the preface) 3 bytes at a time, 5 ms apart
    const port = Number(new URL(srv.origin).port);
    let pieces = 0;
    const relay = createNetServer((client) => {
      const upstream = netConnect(port, "127.0.0.1");
      let head = Buffer.alloc(0);
      let sent = 0;
      client.on("data", async (d: Buffer) => {
        if (sent >= 24) return void upstream.write(d);
        client.pause();
        head = Buffer.concat([head, d]);
        while (sent < 24 && sent < head.length) {
          upstream.write(head.subarray(sent, Math.min(sent + 3, 24)));
          sent = Math.min(sent + 3, 24);
          pieces++;
          await Bun.sleep(5);
        }
        if (head.length > 24) upstream.write(head.subarray(24));
        client.resume();
      });
      upstream.on("data", (d) => client.write(d));
      upstream.on("close", () => client.destroy());
      client.on("close", () => upstream.destroy());
      client.on("error", () => {});
      upstream.on("error", () => {});
    });
    await new Promise<void>((r) => relay.listen(0, "127.0.0.1", () => r()));
    const s = await h2connect(`http://127.0.0.1:${(relay.address() as AddressInfo).port}`);
    try {
      const r = await rawGrpcCall(s, "/etcdserverpb.KV/Range", rangeBody());
      expect(r.status).toBe("0");
      expect(pieces).toBe(8);
    } finally {
      s.close();
      await new Promise((r) => relay.close(r));
    }
  });
});
