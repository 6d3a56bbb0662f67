// TLS listeners (https:// URLs): a node:tls server that offers ALPN ["h2", "http/1.1"] and hands each decrypted
// connection to the same ConnectionSinks the cleartext sniffer uses — "h2" to the HTTP/2 sink, "http/1.1" to the
// HTTP/1.1 sink, and a client that negotiated nothing through sniff() (by the HTTP/2 preface), so both transports
// share one code path after the handshake.
// Client certificates: with `requestClientCert` the handshake requires a certificate that verifies against `ca`
// (the system roots when `ca` is absent, as Go does for etcd); a client without one never reaches the sinks.
// Failed handshakes are reported to `onHandshakeError` with Go's wording where it is known, so the server can log
// etcd's `rejected connection from "…" (error "…", ServerName "…")` line.
import type { Socket } from "node:net";
import { createServer, type Server, type TLSSocket } from "node:tls";
import { sniff, type ConnectionSinks } from "./protocol_sniffer.ts";

export interface RpcTlsOptions {
  /** PEM server certificate (chain). */
  cert: string | Buffer;
  /** PEM private key of `cert`. */
  key: string | Buffer;
  /** PEM CA bundle that client certificates must chain to (etcd's --trusted-ca-file). */
  ca?: string | Buffer;
  /** Require and verify a client certificate (etcd's --client-cert-auth, or a --trusted-ca-file). */
  requestClientCert?: boolean;
}

export interface TlsHandshakeError {
  /** "host:port" of the client. */
  remote: string;
  /** The error as Go's crypto/tls words it (etcd's log line), else Node's message. */
  message: string;
  serverName: string;
}

export const ALPN_PROTOCOLS = ["h2", "http/1.1"];

/** Go's crypto/tls wording for the handshake failures clients commonly cause. */
function goTlsMessage(err: Error & { code?: string }): string {
  const m = err.message ?? String(err);
  if (err.code === "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE" || /peer did not return a certificate/i.test(m)) return "tls: client didn't provide a certificate";
  if (/certificate verify failed|unable to (get (local )?issuer|verify the first certificate)|self.signed|unknown ca/i.test(m)) return "tls: failed to verify client certificate: x509: certificate signed by unknown authority";
  if (/wrong version number|http request|unknown protocol/i.test(m)) return "tls: first record does not look like a TLS handshake";
  if (/sslv3 alert bad certificate|alert number 42/i.test(m)) return "remote error: tls: bad certificate";
  return m;
}

/** A TLS server delivering every established connection to `sinks`. */
export function createTlsServer(opts: RpcTlsOptions, sinks: ConnectionSinks, onHandshakeError?: (e: TlsHandshakeError) => void): Server {
  const server = createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ca: opts.ca,
      requestCert: opts.requestClientCert === true,
      rejectUnauthorized: opts.requestClientCert === true,
      ALPNProtocols: ALPN_PROTOCOLS,
    },
    (socket: TLSSocket) => {
      const plain = socket as unknown as Socket;
      if (socket.alpnProtocol === "h2") sinks.http2(plain);
      else if (socket.alpnProtocol === "http/1.1") sinks.http1(plain);
      else sniff(plain, sinks);
    },
  );
  // The peer address is gone by the time a handshake fails (Bun), so it is noted when the connection arrives.
  const peers = new WeakMap<object, string>();
  server.on("connection", (socket: Socket) => peers.set(socket, `${socket.remoteAddress ?? ""}:${socket.remotePort ?? ""}`));
  server.on("tlsClientError", (err: Error, socket: TLSSocket) => {
    const remote = peers.get(socket) ?? `${socket.remoteAddress ?? ""}:${socket.remotePort ?? ""}`;
    const serverName = (socket as TLSSocket & { servername?: string | false }).servername || "";
    onHandshakeError?.({ remote, message: goTlsMessage(err), serverName });
    socket.destroy();
  });
  return server;
}
