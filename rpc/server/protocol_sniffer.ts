// Serves HTTP/2 cleartext (h2c with prior knowledge: gRPC clients such as etcdctl) and HTTP/1.1 on one TCP port.
// A new connection's first bytes are compared with the HTTP/2 client preface "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// they are put back (unshift) and the socket is handed to the HTTP/2 or the HTTP/1.1 server unread, so the cost is
// one comparison per connection, none per request. For TLS the same two servers take the socket by ALPN
// ("h2" / "http/1.1") instead of by preface.
import { createServer, type Server, type Socket } from "node:net";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export interface ConnectionSinks {
  http2(socket: Socket): void;
  http1(socket: Socket): void;
}

/** A TCP server that routes each connection to `sinks` by its first bytes. */
export function createSniffingServer(sinks: ConnectionSinks): Server {
  return createServer((socket) => sniff(socket, sinks));
}

/** Reads just enough of `socket` to tell HTTP/2 from HTTP/1.x, then hands it over with those bytes unread. */
export function sniff(socket: Socket, sinks: ConnectionSinks): void {
  let seen: Buffer = Buffer.alloc(0);
  const onError = () => socket.destroy();
  socket.on("error", onError);
  const onReadable = () => {
    let chunk: Buffer | null;
    while ((chunk = socket.read() as Buffer | null) !== null) seen = seen.length ? Buffer.concat([seen, chunk]) : chunk;
    const n = Math.min(seen.length, PREFACE.length);
    const prefixMatches = seen.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (prefixMatches && n < PREFACE.length) return; // could still be HTTP/2: wait for more bytes
    socket.off("readable", onReadable);
    socket.off("error", onError);
    socket.unshift(seen);
    if (prefixMatches) sinks.http2(socket);
    else sinks.http1(socket);
  };
  socket.on("readable", onReadable);
}
