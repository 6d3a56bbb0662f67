// GET /health in etcd 3.4's format, over HTTP/1.1 and HTTP/2 on the RPC port, driven by the server's check.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:http2";
import { serve, type TestServer } from "../support/serve.ts";

let healthy = true;
let lastQuery = "";
let srv: TestServer;
beforeAll(async () => {
  srv = await serve(() => {}, {
    health: (q) => {
      lastQuery = q.toString();
      return healthy;
    },
  });
});
afterAll(() => srv.close());

describe("/health", () => {
  test("200 {\"health\":\"true\"} when the check passes, 503 when it fails; the query reaches the check", async () => {
    healthy = true;
    const ok = await fetch(`${srv.origin}/health`);
    expect([ok.status, await ok.text()]).toEqual([200, `{"health":"true"}`]);
    healthy = false;
    const bad = await fetch(`${srv.origin}/health?exclude=NOSPACE`);
    expect([bad.status, await bad.text()]).toEqual([503, `{"health":"false"}\n`]);
    expect(lastQuery).toBe("exclude=NOSPACE");
  });

  test("other methods get 405 with Allow: GET", async () => {
    const r = await fetch(`${srv.origin}/health`, { method: "POST" });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET");
  });

  test("works over HTTP/2 too", async () => {
    healthy = true;
    const s = connect(srv.origin);
    try {
      const { status, body } = await new Promise<{ status: unknown; body: string }>((resolve, reject) => {
        const req = s.request({ ":path": "/health" });
        let status: unknown;
        let body = "";
        req.on("response", (h) => (status = h[":status"]));
        req.on("data", (c) => (body += c));
        req.on("end", () => resolve({ status, body }));
        req.on("error", reject);
      });
      expect([status, body]).toEqual([200, `{"health":"true"}`]);
    } finally {
      s.close();
    }
  });
});
