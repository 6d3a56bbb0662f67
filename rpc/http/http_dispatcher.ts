// Dispatches every non-gRPC HTTP exchange (HTTP/1.1 or HTTP/2): OPTIONS on any path gets etcd's CORS preflight
// answer (embed/serve.go accessController), then plain routes (/health, /v3/... gateway), then the Connect /
// gRPC-web handlers of @connectrpc/connect by method path, else 404. A handler that throws
// gets a 500 if it had not responded yet; the connection and the server keep serving. With onCallDone, every
// Connect / gRPC-web call is reported once (universal_adapter.ts), one to an unknown method as Unimplemented.
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import type { OnCallDone } from "../grpc/call_report.ts";
import { CORS_HEADERS, sendCorsPreflight } from "./cors.ts";
import type { HttpExchange } from "./exchange.ts";
import { sendText, type HttpRoutes } from "./routes.ts";
import { reportUnknownRpc, serveUniversal } from "./universal_adapter.ts";

export class HttpDispatcher {
  private readonly rpc = new Map<string, UniversalHandler>();

  constructor(
    private readonly routes: HttpRoutes,
    private readonly onInternalError?: (err: unknown) => void,
    private readonly onCallDone?: OnCallDone,
  ) {}

  /** Makes Connect / gRPC-web handlers reachable at their request paths ("/etcdserverpb.KV/Range"). */
  addRpcHandlers(handlers: readonly UniversalHandler[]): void {
    for (const h of handlers) this.rpc.set(h.requestPath, h);
  }

  async serve(ex: HttpExchange): Promise<void> {
    const q = ex.path.indexOf("?");
    const pathname = q < 0 ? ex.path : ex.path.slice(0, q);
    try {
      if (ex.method === "OPTIONS") return sendCorsPreflight(ex);
      const route = this.routes.match(pathname);
      if (route) return await route(ex);
      const rpc = this.rpc.get(pathname);
      if (rpc) return await serveUniversal(rpc, ex, this.onCallDone, this.onInternalError);
      if (this.onCallDone) reportUnknownRpc(ex, pathname, this.onCallDone, this.onInternalError);
      sendText(ex, 404, "404 page not found\n", undefined, { ...CORS_HEADERS, "x-content-type-options": "nosniff" });
    } catch (e) {
      this.onInternalError?.(e);
      if (!ex.headersSent) sendText(ex, 500, "500 internal server error\n");
      else ex.end();
    }
  }
}
