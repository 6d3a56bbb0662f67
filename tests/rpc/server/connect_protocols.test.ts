// The same TEST-ONLY fake KV reached through every protocol the port speaks: Connect (binary and JSON, HTTP/1.1 and
// HTTP/2), gRPC-web (HTTP/1.1 and HTTP/2) and gRPC (connect-node's gRPC client, HTTP/2). Results and errors (code and
// exact message) must be the same whichever protocol carried them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { KV } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { createFakeKv } from "../fakes/fake_kv.ts";
import { serve, type TestServer } from "../support/serve.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await serve((s) => s.service(KV, createFakeKv({ maxRequestBytes: 256 }).impl));
});
afterAll(() => srv.close());

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

const transports: Record<string, (baseUrl: string) => Transport> = {
  "connect binary / HTTP/1.1": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" }),
  "connect JSON / HTTP/1.1": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
  "connect binary / HTTP/2": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" }),
  "gRPC-web / HTTP/1.1": (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
  "gRPC-web / HTTP/2": (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "2" }),
  "gRPC / HTTP/2": (baseUrl) => createGrpcTransport({ baseUrl }),
};

for (const [name, make] of Object.entries(transports)) {
  describe(name, () => {
    test("put then range returns the stored value", async () => {
      const kv = createClient(KV, make(srv.origin));
      const key = enc(`k-${name}`);
      const put = await kv.put({ key, value: enc("v1") });
      expect(put.header?.revision).toBeGreaterThan(1n);
      const got = await kv.range({ key });
      expect(got.kvs.map((x) => [dec(x.key), dec(x.value)])).toEqual([[`k-${name}`, "v1"]]);
      expect(got.kvs[0].modRevision).toBe(put.header!.revision);
    });

    test("etcd errors arrive with their code and exact message", async () => {
      const kv = createClient(KV, make(srv.origin));
      const tooLarge = await kv.put({ key: enc("big"), value: new Uint8Array(1000) }).catch((e: unknown) => e);
      expect(tooLarge).toBeInstanceOf(ConnectError);
      expect({ code: (tooLarge as ConnectError).code, message: (tooLarge as ConnectError).rawMessage }).toEqual({
        code: Code.InvalidArgument,
        message: "etcdserver: request is too large",
      });
      const unimpl = await kv.deleteRange({ key: enc("x") }).catch((e: unknown) => e);
      expect((unimpl as ConnectError).code).toBe(Code.Unimplemented);
    });
  });
}

describe("plain HTTP on the same port", () => {
  test("an unknown path is 404 over HTTP/1.1", async () => {
    const r = await fetch(`${srv.origin}/nope`);
    expect(r.status).toBe(404);
  });

  test("Connect rejects a GET on a unary method not marked idempotent, with an HTTP error not a crash", async () => {
    const r = await fetch(`${srv.origin}/etcdserverpb.KV/Range`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    const after = await createClient(KV, createConnectTransport({ baseUrl: srv.origin, httpVersion: "1.1" })).range({ key: enc("k") });
    expect(after.header).toBeDefined();
  });

  test("a Connect JSON request can be made with plain fetch (what a browser does)", async () => {
    await createClient(KV, createConnectTransport({ baseUrl: srv.origin, httpVersion: "1.1" })).put({ key: enc("fetch-key"), value: enc("fv") });
    const r = await fetch(`${srv.origin}/etcdserverpb.KV/Range`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: Buffer.from("fetch-key").toString("base64") }),
    });
    expect(r.status).toBe(200);
    const j = (await r.json()) as { kvs: { value: string }[] };
    expect(Buffer.from(j.kvs[0].value, "base64").toString()).toBe("fv");
  });
});

describe("Connect over HTTP/2, many calls on one session", () => {
  test("1,100 unary calls with an empty response message all succeed (no invalid frames on the session)", async () => {
    // regression: a zero-length body write used to emit a frame Bun's client counts as invalid; at 1,000 it drops the session
    const empty = await serve((s) => s.service(KV, { put: () => ({}) }));
    try {
      const kv = createClient(KV, createConnectTransport({ baseUrl: empty.origin, httpVersion: "2" }));
      let ok = 0;
      for (let i = 0; i < 1100; i++) {
        await kv.put({ key: enc("k") });
        ok++;
      }
      expect(ok).toBe(1100);
    } finally {
      await empty.close();
    }
  }, 20_000);
});
