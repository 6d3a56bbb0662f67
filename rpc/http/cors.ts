// The CORS headers etcd 3.4 adds to every client-port HTTP response with its default --cors "*"
// (embed/serve.go accessController / addCORSHeader); an OPTIONS request gets just these and 200.
import type { HttpExchange } from "./exchange.ts";

export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "access-control-allow-methods": "POST, GET, OPTIONS, PUT, DELETE",
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "accept, content-type, authorization",
});

/** etcd's answer to OPTIONS: 200, the CORS headers, no body and no content type. */
export function sendCorsPreflight(ex: HttpExchange): void {
  ex.respond(200, new Headers({ ...CORS_HEADERS, "content-length": "0" }));
  ex.end();
}
