// The gateway's own behaviour beyond what the comparison with etcd covers: Unimplemented methods over JSON
// (501 with etcd's error body), streamed methods (a TEST-ONLY echo Watch for the bidi path, the Unimplemented
// Snapshot error chunk), the body limit, and /metrics, /health, /version on the same port.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { JsonGateway } from "../../../rpc/gateway/json_gateway.ts";
import { Watch, WatchResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { registerEtcdServices } from "../../../rpc/services/register.ts";
import { createFakeServer, type FakeServer } from "../fakes/fake_server.ts";
import { serve, type TestServer } from "../support/serve.ts";

let srv: TestServer;
let fake: FakeServer;
let echo: TestServer;

beforeAll(async () => {
  fake = createFakeServer({ maxRequestBytes: 1024 });
  srv = await serve((s) => registerEtcdServices(s, fake));
  // TEST-ONLY Watch that answers each request with a response naming the watched key (bidi over the gateway)
  const gw = new JsonGateway({ maxBodyBytes: 1024 }).service(Watch, {
    async *watch(requests) {
      let n = 0n;
      for await (const r of requests) {
        const key = r.requestUnion.case === "createRequest" ? Buffer.from(r.requestUnion.value.key).toString() : "?";
        yield create(WatchResponseSchema, { watchId: n++, created: true, cancelReason: key });
      }
    },
  });
  echo = await serve((s) => s.routePrefix("/v3/", gw.handler));
});
afterAll(async () => {
  await srv.close();
  await echo.close();
});

const post = (origin: string, path: string, body: string) => fetch(origin + path, { method: "POST", body });

describe("methods not built yet", () => {
  test("a unary one answers 501 with the Unimplemented error body", async () => {
    const res = await post(srv.origin, "/v3/auth/role/add", JSON.stringify({ name: "r" }));
    expect(res.status).toBe(501);
    const msg = "bunetcd: RoleAdd is not implemented yet";
    expect(await res.json()).toEqual({ error: msg, message: msg, code: 12 });
  });
});

describe("streams", () => {
  test("a bidi body of several JSON objects gets one {\"result\":…} line per response", async () => {
    const body = `{"create_request":{"key":"${btoa("a")}"}}\n{"create_request":{"key":"${btoa("b")}"}}\n`;
    const res = await post(echo.origin, "/v3/watch", body);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { result: { created: true, cancel_reason: "a" } },
      { result: { watch_id: "1", created: true, cancel_reason: "b" } },
    ]);
  });

  test("a malformed object mid-stream ends the stream with an InvalidArgument chunk after the results", async () => {
    const res = await post(echo.origin, "/v3/watch", `{"create_request":{"key":"${btoa("a")}"}} oops`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).split("\n");
    expect(JSON.parse(lines[0]!)).toEqual({ result: { created: true, cancel_reason: "a" } });
    expect(JSON.parse(lines[1]!).error).toMatchObject({ grpc_code: 3, http_code: 400, http_status: "Bad Request" });
  });
});

describe("limits and bad JSON", () => {
  test("a body over the gateway limit is ResourceExhausted (429) and never reaches the server", async () => {
    const before = fake.calls.length;
    const res = await post(srv.origin, "/v3/kv/put", JSON.stringify({ key: btoa("k"), value: "A".repeat(8 * 1024 * 1024) }));
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: number }).code).toBe(8);
    expect(fake.calls.length).toBe(before);
  });

  test("malformed JSON is InvalidArgument (400) with the error body", async () => {
    const res = await post(srv.origin, "/v3/kv/range", "notjson");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string; code: number };
    expect(body.code).toBe(3);
    expect(body.error).toBe(body.message);
    expect(body.error.length).toBeGreaterThan(0);
  });
});

describe("plain routes registered with the services", () => {
  test("/metrics serves the server's Prometheus text", async () => {
    const res = await fetch(srv.origin + "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await res.text()).toBe(fake.metricsText());
  });

  test("/health follows server.healthy()", async () => {
    expect(await (await fetch(srv.origin + "/health")).text()).toBe(`{"health":"true"}`);
    fake.setHealthy(false);
    const res = await fetch(srv.origin + "/health");
    expect(res.status).toBe(503);
    fake.setHealthy(true);
  });

  test("/version answers the etcd and cluster versions", async () => {
    expect(await (await fetch(srv.origin + "/version")).json()).toEqual({ etcdserver: "3.4.23", etcdcluster: "3.4.0" });
  });
});
