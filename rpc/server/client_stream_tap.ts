// Hands an h2c connection to the node:http2 (Bun) server with a ClientFrameFilter on the client-to-server bytes.
// Bun's HTTP/2 session attaches natively to a socket's `_handle` (reads and writes bypass JS), which leaves no
// place to filter; with no native handle it reads through socket.on("data") and writes through socket.write(),
// the mode Bun itself uses for sockets it cannot attach to. So the handle is hidden while the session is created
// (synchronously, inside emit("connection")), and the socket's own emit sends "data" events through the filter.
// Writes still go socket.write() -> native handle; every other event is untouched.
// Invariant: call once per socket, instead of server.emit("connection", socket).
import type { Socket } from "node:net";
import type { Http2Server } from "node:http2";
import { ClientFrameFilter } from "./h2_client_frames.ts";

export function connectThroughFilter(server: Http2Server, socket: Socket, filter = new ClientFrameFilter()): void {
  const emit = socket.emit;
  const deliver = (bytes: Buffer) => void emit.call(socket, "data", bytes);
  socket.emit = function (this: Socket, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== "data") return emit.apply(this, [event, ...args] as Parameters<Socket["emit"]>);
    filter.push(args[0] as Buffer, deliver);
    return true;
  } as Socket["emit"];
  const s = socket as Socket & { _handle: unknown };
  const handle = s._handle;
  s._handle = null;
  try {
    server.emit("connection", socket);
  } finally {
    s._handle = handle;
  }
}
