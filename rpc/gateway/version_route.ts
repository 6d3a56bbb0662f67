// GET /version as etcd 3.4 serves it (etcdserver/api/etcdhttp/base.go serveVersion):
// {"etcdserver":"<server version>","etcdcluster":"<cluster version>"}; other methods get 405 with "Allow: GET".
import { sendText, type HttpRouteHandler } from "../http/routes.ts";
import { CORS_HEADERS } from "../http/cors.ts";

export interface Versions {
  /** The etcd release this server answers as, e.g. "3.4.23". */
  server: string;
  /** The cluster version ("3.4.0"), or "not_decided" before the cluster agreed on one. */
  cluster: () => string;
}

export function versionRoute(v: Versions): HttpRouteHandler {
  return (ex) => {
    if (ex.method !== "GET") return sendText(ex, 405, "Method Not Allowed\n", undefined, { ...CORS_HEADERS, allow: "GET" });
    sendText(ex, 200, JSON.stringify({ etcdserver: v.server, etcdcluster: v.cluster() }), "application/json", CORS_HEADERS);
  };
}
