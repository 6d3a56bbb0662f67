// RpcServer: one port, every protocol. gRPC over HTTP/2 is served by the direct fast path in rpc/grpc/;
// Connect and gRPC-web (HTTP/1.1 and HTTP/2) by @connectrpc/connect's universal handlers; plain HTTP routes
// (/health, /version, /metrics, the /v3 JSON gateway) by HttpRoutes. All RPC protocols run the same ServiceImpl
// objects registered with service(). An HTTP/2 connection whose first request is gRPC is served by our own HTTP/2
// connection (h2/connection.ts) for its whole life, as etcd's cmux picks grpc-go per connection; any other goes to
// Bun's node:http2, through client_stream_tap.ts when its first :authority is one Bun refuses (grpc-go sends
// "http://host:port" as etcdctl's dial target; the filter rewrites it to a same-length accepted value).
// Transports: http:// URLs are cleartext (protocol_sniffer.ts picks h2c or HTTP/1.1); https:// URLs are TLS
// (tls_listener.ts picks by ALPN). Either way a connection ends in the same two sinks, serveHttp2 and serveHttp1.
// Lifecycle: register services and routes, listen() on one or more URLs, close() once (stops accepting, aborts
// ctx.signal of running calls, sends GOAWAY, destroys connections still open after the grace period).
import type { DescService } from "@bufbuild/protobuf";
import { createConnectRouter, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";
import { createServer as createHttp1Server, type Server as Http1Server } from "node:http";
import { createServer as createHttp2Server, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo, Server as NetServer, Socket } from "node:net";
import type { OnCallDone } from "../grpc/call_report.ts";
import { GrpcHandler } from "../grpc/grpc_handler.ts";
import { encodeGrpcMessage } from "../grpc/status.ts";
import { MethodTable } from "../grpc/method_table.ts";
import { exchangeFromHttp1, exchangeFromHttp2 } from "../http/exchange.ts";
import { healthRoute, type HealthCheck } from "../http/health.ts";
import { HttpDispatcher } from "../http/http_dispatcher.ts";
import { HttpRoutes, type HttpRouteHandler } from "../http/routes.ts";
import { connectThroughFilter } from "./client_stream_tap.ts";
import { isGrpcContentType, probeAuthority } from "./h2_authority_probe.ts";
import { H2Connection } from "./h2/connection.ts";
import { NO_ERROR } from "./h2/frames.ts";
import type { H2ServerStream } from "./h2/server_stream.ts";
import { createSniffingServer, type ConnectionSinks } from "./protocol_sniffer.ts";
import { createTlsServer, type RpcTlsOptions, type TlsHandshakeError } from "./tls_listener.ts";

export type { RpcTlsOptions, TlsHandshakeError } from "./tls_listener.ts";

/** etcd's default --max-request-bytes (1.5 MiB) plus the 512 KiB gRPC overhead etcd allows on top of it. */
export const DEFAULT_MAX_RECV_BYTES = 1.5 * 1024 * 1024 + 512 * 1024;

export interface RpcServerOptions {
  /** Largest request message accepted by every RPC protocol (default DEFAULT_MAX_RECV_BYTES). */
  maxRecvBytes?: number;
  /** Answers GET /health (etcd format). Without it /health is 404 until a route is added. */
  health?: HealthCheck;
  /** Told about errors that are bugs (Unknown/Internal statuses, throwing HTTP routes). */
  onInternalError?: (err: unknown) => void;
  /** How long close() lets open calls finish before destroying connections (default 1000 ms). */
  closeGraceMs?: number;
  /** Told once about every finished RPC on every protocol (metrics, request logging); see rpc/grpc/call_report.ts. */
  onCallDone?: OnCallDone;
  /** Told about TLS handshakes that failed on https:// listeners (etcd logs them as "rejected connection"). */
  onTlsHandshakeError?: (e: TlsHandshakeError) => void;
}

export class RpcServer {
  private readonly methods = new MethodTable();
  private readonly routes = new HttpRoutes();
  private readonly router: ConnectRouter;
  private readonly dispatcher: HttpDispatcher;
  private readonly grpc: GrpcHandler;
  private readonly h2: Http2Server;
  private readonly h1: Http1Server;
  private readonly listeners: NetServer[] = [];
  private readonly sessions = new Set<Http2Session>();
  private readonly grpcConnections = new Set<H2Connection>();
  private readonly sockets = new Set<Socket>();
  private readonly shutdown = new AbortController();
  private closing?: Promise<void>;

  constructor(private readonly opts: RpcServerOptions = {}) {
    const maxRecvBytes = opts.maxRecvBytes ?? DEFAULT_MAX_RECV_BYTES;
    this.router = createConnectRouter({ grpc: false, grpcWeb: true, connect: true, readMaxBytes: maxRecvBytes, shutdownSignal: this.shutdown.signal });
    this.dispatcher = new HttpDispatcher(this.routes, opts.onInternalError, opts.onCallDone);
    this.grpc = new GrpcHandler(this.methods, { maxRecvBytes, shutdown: this.shutdown.signal, onInternalError: opts.onInternalError, onCallDone: opts.onCallDone });
    if (opts.health) this.routes.add("/health", healthRoute(opts.health));

    // strictSingleValueFields off: every response's headers are ours and well-formed, so node:http2 need not
    // re-check each one for repeated single-value fields
    const h2Options = { settings: { initialWindowSize: 1 << 20, maxConcurrentStreams: 1 << 16 }, strictSingleValueFields: false };
    this.h2 = createHttp2Server(h2Options);
    this.h2.on("session", (s: Http2Session) => {
      this.sessions.add(s);
      s.once("close", () => this.sessions.delete(s));
      s.on("error", () => {});
    });
    this.h2.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
      if (isGrpcContentType(headers["content-type"])) this.grpc.handle(stream, headers);
      else void this.dispatcher.serve(exchangeFromHttp2(stream, headers));
    });
    this.h1 = createHttp1Server((req, res) => void this.dispatcher.serve(exchangeFromHttp1(req, res)));
  }

  /** Serves `impl` for every method of `service` over gRPC, Connect and gRPC-web; missing methods are Unimplemented. */
  service<S extends DescService>(service: S, impl: Partial<ServiceImpl<S>>): this {
    this.methods.add(service, impl);
    const before = this.router.handlers.length;
    this.router.service(service, impl);
    this.dispatcher.addRpcHandlers(this.router.handlers.slice(before));
    return this;
  }

  /** Serves an exact path with a plain HTTP handler (e.g. "/version", "/metrics"). */
  route(path: string, handler: HttpRouteHandler): this {
    this.routes.add(path, handler);
    return this;
  }

  /** Serves every path under `prefix` with a plain HTTP handler (e.g. "/v3/" for the JSON gateway). */
  routePrefix(prefix: string, handler: HttpRouteHandler): this {
    this.routes.addPrefix(prefix, handler);
    return this;
  }

  /**
   * Starts serving on an http:// URL, or an https:// URL with `tls` (port 0 picks a free port); resolves to the
   * URL actually bound. `tls` is ignored for http:// URLs, as etcd ignores its certificates there.
   */
  listen(url: string, tls?: RpcTlsOptions): Promise<URL> {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return Promise.reject(new Error(`rpc: unsupported listen URL scheme ${u.protocol}`));
    if (u.protocol === "https:" && !tls) return Promise.reject(new Error(`rpc: an https:// listen URL needs TLS options (${url})`));
    if (this.closing) return Promise.reject(new Error("rpc: server is closed"));
    const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
    const sinks: ConnectionSinks = { http2: (s) => this.serveHttp2(s), http1: (s) => this.serveHttp1(s) };
    const net = u.protocol === "https:" ? createTlsServer(tls!, sinks, this.opts.onTlsHandshakeError) : createSniffingServer(sinks);
    net.on("connection", (s: Socket) => this.track(s)); // from accept on, so close() also ends sniffs and handshakes
    this.listeners.push(net);
    return new Promise((resolve, reject) => {
      net.once("error", reject);
      net.listen(Number(u.port || (u.protocol === "https:" ? 443 : 80)), host, () => {
        net.off("error", reject);
        const bound = new URL(u.href);
        bound.port = String((net.address() as AddressInfo).port);
        resolve(bound);
      });
    });
  }

  /** Stops the server; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  /**
   * Hands an HTTP/2 connection (h2c, or h2 over TLS after ALPN) to the HTTP/2 server: natively unless its first
   * request carries a URL-shaped :authority (h2_authority_probe.ts), then behind the filter that fixes it.
   */
  private serveHttp2(socket: Socket): void {
    probeAuthority(socket, (mode) => {
      if (mode === "grpc") this.serveGrpcConnection(socket);
      else if (mode === "native") this.h2.emit("connection", socket);
      else connectThroughFilter(this.h2, socket);
    });
  }

  /** Serves a connection whose first request is gRPC on rpc/server/h2's own HTTP/2 connection. */
  private serveGrpcConnection(socket: Socket): void {
    const conn = new H2Connection(socket, (stream, headers) => {
      if (isGrpcContentType(headers["content-type"])) this.grpc.handle(stream, headers);
      else refuseNonGrpc(stream, headers["content-type"]);
    });
    this.grpcConnections.add(conn);
    socket.once("close", () => this.grpcConnections.delete(conn));
  }

  /** Hands an HTTP/1.x connection (cleartext or TLS) to the HTTP/1.1 server. */
  private serveHttp1(socket: Socket): void {
    this.h1.emit("connection", socket);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
  }

  private async doClose(): Promise<void> {
    const closed = this.listeners.map((l) => new Promise<void>((r) => l.close(() => r())));
    this.shutdown.abort(new Error("rpc: server is shutting down"));
    for (const s of this.sessions) s.close();
    for (const c of this.grpcConnections) c.close();
    this.h1.closeIdleConnections?.();
    const grace = this.opts.closeGraceMs ?? 1000;
    const deadline = Date.now() + grace;
    while (this.sockets.size > 0 && Date.now() < deadline) await Bun.sleep(10);
    for (const s of this.sockets) s.destroy();
    await Promise.all(closed);
  }
}

/**
 * A non-gRPC request on a connection that began with gRPC: refused as grpc-go refuses it (HTTP 415 with an
 * InvalidArgument status). etcd's cmux hands such a connection to grpc-go as a whole, the same way.
 */
function refuseNonGrpc(stream: H2ServerStream, contentType: string | undefined): void {
  stream.respond(
    { ":status": 415, "content-type": "application/grpc", "grpc-status": "3", "grpc-message": encodeGrpcMessage(`invalid gRPC request content-type "${contentType ?? ""}"`) },
    { endStream: true },
  );
  if (!stream.readableEnded) stream.close(NO_ERROR);
}
