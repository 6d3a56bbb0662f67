// GET /health as etcd 3.4 serves it (etcdserver/api/etcdhttp/metrics.go): 200 {"health":"true"} when the check
// passes, 503 {"health":"false"} otherwise, 405 with "Allow: GET" for other methods; all with etcd's CORS headers.
// What "healthy" means (alarms, leader, a quorum read) belongs to the server that supplies the check.
import { CORS_HEADERS } from "./cors.ts";
import type { HttpExchange } from "./exchange.ts";
import { sendText, type HttpRouteHandler } from "./routes.ts";

/** Decides health; `query` carries etcd's options (e.g. ?exclude=NOSPACE alarms to ignore). */
export type HealthCheck = (query: URLSearchParams) => boolean | Promise<boolean>;

export function healthRoute(check: HealthCheck): HttpRouteHandler {
  return async (ex: HttpExchange) => {
    if (ex.method !== "GET") return sendText(ex, 405, "Method Not Allowed\n", undefined, { ...CORS_HEADERS, allow: "GET" });
    let ok = false;
    try {
      const q = ex.path.indexOf("?");
      ok = await check(new URLSearchParams(q < 0 ? "" : ex.path.slice(q + 1)));
    } catch {
      ok = false;
    }
    if (ok) sendText(ex, 200, `{"health":"true"}`, undefined, CORS_HEADERS);
    else sendText(ex, 503, `{"health":"false"}\n`, undefined, CORS_HEADERS);
  };
}
