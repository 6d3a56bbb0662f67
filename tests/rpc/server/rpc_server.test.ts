// RpcServer lifecycle and routing hooks: listen URLs, several listeners, plain routes beside RPCs, and close():
// stops accepting, aborts running calls' ctx.signal, is idempotent; and which server a connection gets (its first request).
import { describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { create, toBinary } from "@bufbuild/protobuf";
import type { ClientHttp2Session } from "node:http2";
import { KV, Maintenance, PutRequestSchema, type SnapshotResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";
import { h2connect } from "../support/raw_grpc.ts";
import { RpcServer } from "../../../rpc/server/rpc_server.ts";
import { sendText } from "../../../rpc/http/routes.ts";
import { createFakeKv } from "../fakes/fake_kv.ts";
import { freePort } from "../../support/ports.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("RpcServer", () => {
  test("listen on port 0 resolves the bound URL; a fixed port is honoured; both serve the same services", async () => {
    const s = new RpcServer({ closeGraceMs: 100 }).service(KV, createFakeKv().impl);
    try {
      const a = await s.listen("http://127.0.0.1:0");
      expect(Number(a.port)).toBeGreaterThan(0);
      const port = await freePort();
      const b = await s.listen(`http://127.0.0.1:${port}`);
      expect(b.port).toBe(String(port));
      await createClient(KV, createGrpcTransport({ baseUrl: a.origin })).put({ key: enc("x"), value: enc("1") });
      const got = await createClient(KV, createGrpcTransport({ baseUrl: b.origin })).range({ key: enc("x") });
      expect(got.kvs.length).toBe(1);
    } finally {
      await s.close();
    }
  });

  test("https:// without TLS options and unknown schemes are refused (TLS itself: tls.test.ts)", async () => {
    const s = new RpcServer();
    await expect(s.listen("https://127.0.0.1:0")).rejects.toThrow("TLS options");
    await expect(s.listen("unix://x")).rejects.toThrow("unsupported");
    await s.close();
  });

  test("a port already in use fails listen()", async () => {
    const a = new RpcServer();
    const b = new RpcServer();
    try {
      const url = await a.listen("http://127.0.0.1:0");
      await expect(b.listen(url.href)).rejects.toThrow();
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("route() and routePrefix() serve plain HTTP beside the RPCs, with the query string", async () => {
    const s = new RpcServer()
      .route("/version", (ex) => sendText(ex, 200, `{"etcdserver":"3.4.23"}`, "application/json"))
      .routePrefix("/v3/", (ex) => sendText(ex, 200, `${ex.method} ${ex.path}`));
    try {
      const { origin } = await s.listen("http://127.0.0.1:0");
      expect(await (await fetch(`${origin}/version`)).json()).toEqual({ etcdserver: "3.4.23" });
      expect(await (await fetch(`${origin}/v3/kv/range?x=1`, { method: "POST", body: "{}" })).text()).toBe("POST /v3/kv/range?x=1");
    } finally {
      await s.close();
    }
  });

  test("a throwing route gets a 500 and the server keeps serving", async () => {
    const errors: unknown[] = [];
    const s = new RpcServer({ onInternalError: (e) => errors.push(e) })
      .route("/boom", () => {
        throw new Error("route bug");
      })
      .route("/ok", (ex) => sendText(ex, 200, "ok"));
    try {
      const { origin } = await s.listen("http://127.0.0.1:0");
      expect((await fetch(`${origin}/boom`)).status).toBe(500);
      expect(errors.map((e) => (e as Error).message)).toEqual(["route bug"]);
      expect(await (await fetch(`${origin}/ok`)).text()).toBe("ok");
    } finally {
      await s.close();
    }
  });

  test("close() aborts a running stream's ctx.signal, stops accepting, and is idempotent", async () => {
    let aborted = false;
    const s = new RpcServer({ closeGraceMs: 200 }).service(Maintenance, {
      async *snapshot(_req, ctx): AsyncGenerator<SnapshotResponse> {
        yield { $typeName: "etcdserverpb.SnapshotResponse", remainingBytes: 1n, blob: enc("first") };
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
        aborted = true;
        throw new ConnectError("etcdserver: server stopped", Code.Unavailable);
      },
    });
    const { origin } = await s.listen("http://127.0.0.1:0");
    const it = createClient(Maintenance, createGrpcTransport({ baseUrl: origin })).snapshot({})[Symbol.asyncIterator]();
    expect((await it.next()).value.blob).toEqual(enc("first"));
    const closing = s.close();
    const rest = await it.next().then(
      () => "ended",
      (e: unknown) => e,
    );
    await closing;
    expect(aborted).toBe(true);
    expect(rest).toBeInstanceOf(ConnectError);
    await s.close();
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
    await expect(s.listen("http://127.0.0.1:0")).rejects.toThrow("closed");
  });

  test("a connection is served by its first request: after gRPC, a Connect request on it gets 415 and grpc-status 3 (as grpc-go); a connection opened with Connect serves Connect", async () => {
    const s = new RpcServer({ closeGraceMs: 100 }).service(KV, createFakeKv().impl);
    const request = (session: ClientHttp2Session, headers: Record<string, string>, body: Uint8Array) =>
      new Promise<{ status: number; grpcStatus?: string; body: string }>((resolve, reject) => {
        const req = session.request({ ":method": "POST", ...headers });
        let status = 0;
        let grpcStatus: string | undefined;
        const chunks: Buffer[] = [];
        req.on("response", (h) => ((status = Number(h[":status"])), (grpcStatus = h["grpc-status"] as string | undefined)));
        req.on("trailers", (t) => (grpcStatus = t["grpc-status"] as string | undefined));
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve({ status, grpcStatus, body: Buffer.concat(chunks).toString() }));
        req.on("error", reject);
        req.end(body);
      });
    const putBody = toBinary(PutRequestSchema, create(PutRequestSchema, { key: enc("k"), value: enc("v") }));
    const connect = { ":path": "/etcdserverpb.KV/Put", "content-type": "application/proto", "connect-protocol-version": "1" };
    try {
      const { origin } = await s.listen("http://127.0.0.1:0");
      const grpcFirst = await h2connect(origin);
      const viaGrpc = await request(grpcFirst, { ":path": "/etcdserverpb.KV/Put", "content-type": "application/grpc", te: "trailers" }, encodeFrame(putBody));
      expect([viaGrpc.status, viaGrpc.grpcStatus]).toEqual([200, "0"]);
      const refused = await request(grpcFirst, connect, putBody);
      expect([refused.status, refused.grpcStatus]).toEqual([415, "3"]);
      grpcFirst.close();
      const connectFirst = await h2connect(origin);
      const viaConnect = await request(connectFirst, connect, putBody);
      expect(viaConnect.status).toBe(200);
      connectFirst.close();
    } finally {
      await s.close();
    }
  });
});

