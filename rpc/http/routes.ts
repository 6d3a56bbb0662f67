// Plain HTTP routes served beside the RPC protocols on the same port: exact paths (GET /health, /version,
// /metrics) and path prefixes (POST /v3/... JSON gateway). The first match wins: exact paths before prefixes,
// longer prefixes before shorter ones.
import type { HttpExchange } from "./exchange.ts";

export type HttpRouteHandler = (ex: HttpExchange) => void | Promise<void>;

export class HttpRoutes {
  private readonly exact = new Map<string, HttpRouteHandler>();
  private prefixes: { prefix: string; handler: HttpRouteHandler }[] = [];

  /** Serves `path` exactly (no query string in `path`). Replaces a route already there. */
  add(path: string, handler: HttpRouteHandler): void {
    this.exact.set(path, handler);
  }

  /** Serves every path that starts with `prefix`. */
  addPrefix(prefix: string, handler: HttpRouteHandler): void {
    this.prefixes = [...this.prefixes.filter((p) => p.prefix !== prefix), { prefix, handler }].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  match(pathname: string): HttpRouteHandler | undefined {
    const h = this.exact.get(pathname);
    if (h) return h;
    for (const p of this.prefixes) if (pathname.startsWith(p.prefix)) return p.handler;
    return undefined;
  }
}

/** Sends a small complete response. */
export function sendText(ex: HttpExchange, status: number, body: string, contentType = "text/plain; charset=utf-8", extra?: Record<string, string>): void {
  const h = new Headers({ "content-type": contentType, ...extra });
  const bytes = new TextEncoder().encode(body);
  h.set("content-length", String(bytes.length));
  ex.respond(status, h);
  ex.end(bytes);
}
