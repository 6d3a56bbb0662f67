// The client side's one way to reach an etcd endpoint over gRPC (HTTP/2, h2c or TLS), from Bun or Node:
// @connectrpc/connect-node's gRPC transport, one HTTP/2 session per transport. Used by the client commands
// (cli/ctl) and by connect() (the library). Endpoints are written as etcdctl takes them: "host:port",
// "http://host:port" or "https://host:port"; a bare host:port is TLS when tls options are given.
// Invariant: the transport never decides retries or timeouts; callers pass per-call timeouts.
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";

export interface ClientTlsOptions {
  /** PEM of the CA bundle that signs the server certificate (etcdctl --cacert). */
  ca?: string | Buffer;
  /** PEM client certificate and key (etcdctl --cert / --key). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** etcdctl --insecure-skip-tls-verify. */
  insecureSkipVerify?: boolean;
  /** SNI / verification name (etcdctl --discovery-srv style override); defaults to the endpoint host. */
  serverName?: string;
}

export interface ClientTransportOptions {
  tls?: ClientTlsOptions;
  /** Largest message accepted from the server (etcd clients default to math.MaxInt32). */
  readMaxBytes?: number;
}

/** The base URL of an endpoint as etcdctl accepts it ("host:port", "http://…", "https://…", "unix://…" not supported). */
export function endpointUrl(endpoint: string, tls: boolean): string {
  if (/^https?:\/\//.test(endpoint)) return endpoint.replace(/\/+$/, "");
  return `${tls ? "https" : "http"}://${endpoint}`;
}

export function clientTransport(endpoint: string, opts: ClientTransportOptions = {}): Transport {
  return clientConnection(endpoint, opts).transport;
}

/** A transport and the HTTP/2 connection under it: close() ends the connection (and its open streams). */
export interface ClientConnection {
  transport: Transport;
  close(): void;
}

export function clientConnection(endpoint: string, opts: ClientTransportOptions = {}): ClientConnection {
  const baseUrl = endpointUrl(endpoint, opts.tls !== undefined);
  const tls = opts.tls;
  const nodeOptions = tls
    ? {
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        rejectUnauthorized: !tls.insecureSkipVerify,
        ...(tls.serverName ? { servername: tls.serverName } : {}),
      }
    : {};
  const sessionManager = new Http2SessionManager(baseUrl, {}, nodeOptions);
  const transport = createGrpcTransport({ baseUrl, readMaxBytes: opts.readMaxBytes ?? 0x7fffffff, sessionManager });
  return { transport, close: () => sessionManager.abort() };
}
