// Decides, per HTTP/2 connection (h2c, or h2 over TLS), who serves it, from its first request: a gRPC request →
// our own HTTP/2 connection (h2/connection.ts, which takes any :authority); otherwise Bun's HTTP/2 session,
// natively, or behind the :authority filter (client_stream_tap.ts) when that request carries an :authority Bun
// refuses. Native is much cheaper than filtered: Bun then reads and parses the socket without any JS per chunk
// (measured: put throughput +15–20% over the filtered path). Only grpc-go clients that dial a URL-shaped target
// (etcdctl 3.4's endpoint status, hashkv, defrag, move-leader) send such an :authority.
// How: right after the client preface the server sends an empty SETTINGS frame (a legal server preface; grpc-go
// sends no request before it sees one), then reads until the first complete header block and runs it through a
// ClientFrameFilter. gRPC → grpc; else no rewrite needed → native; rewrite needed, or no header block within PROBE_MS
// (an idle or odd client) → filtered. Either way every byte read is put back (unshift) for the chosen path to read from the
// start. The HTTP/2 session then sends its own SETTINGS; the client acknowledges both, and Bun's session accepts
// the extra ACK (checked with the Bun gRPC load generator, etcdctl and the etcd3 npm client).
// Invariant: a connection's mode is fixed by its first request — a client whose first :authority is fine and a
// later one is not would see Bun's PROTOCOL_ERROR; grpc-go uses one authority per connection.
import type { Socket } from "node:net";
import { ClientFrameFilter } from "./h2_client_frames.ts";
import { HpackDecoder } from "./hpack/decoder.ts";

/** True when content-type names gRPC proper (application/grpc, application/grpc+proto), not gRPC-web. */
export function isGrpcContentType(contentType: string | string[] | undefined): boolean {
  return typeof contentType === "string" && contentType.startsWith("application/grpc") && !contentType.startsWith("application/grpc-web");
}

/** An empty SETTINGS frame: length 0, type 4, flags 0, stream 0. */
const EMPTY_SETTINGS = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
/** How long to wait for the first request before choosing the filtered path. */
const PROBE_MS = 200;

/**
 * "grpc": the first request is gRPC, so the connection goes to rpc/server/h2's own HTTP/2 connection, which needs
 * no :authority rewrite; otherwise "native" (Bun's node:http2) or "filtered" (node:http2 behind the rewrite).
 */
export type Http2Mode = "grpc" | "native" | "filtered";

/** Reads `socket` up to its first header block, puts the bytes back, and calls `choose` once with the mode. */
export function probeAuthority(socket: Socket, choose: (mode: Http2Mode) => void): void {
  const filter = new ClientFrameFilter();
  const seen: Buffer[] = [];
  let decided = false;
  const decide = (mode: Http2Mode) => {
    if (decided) return;
    decided = true;
    clearTimeout(timer);
    socket.off("readable", onReadable);
    socket.off("close", onClose);
    if (seen.length > 0) socket.unshift(seen.length === 1 ? seen[0]! : Buffer.concat(seen));
    choose(mode);
  };
  const onReadable = () => {
    let chunk: Buffer | null;
    while ((chunk = socket.read() as Buffer | null) !== null) {
      seen.push(chunk);
      filter.push(chunk, () => {});
    }
    if (filter.blocks === 0) return;
    if (isGrpcContentType(firstContentType(filter.firstBlock))) decide("grpc");
    else decide(filter.rewrites > 0 ? "filtered" : "native");
  };
  const onClose = () => {
    decided = true;
    clearTimeout(timer);
  };
  const timer = setTimeout(() => decide("filtered"), PROBE_MS);
  socket.on("readable", onReadable);
  socket.once("close", onClose);
  socket.write(EMPTY_SETTINGS);
  onReadable();
}

/**
 * The content-type of a connection's first request, from its header block. A fresh decoder is right for it: the
 * first block is the first the client's encoder produced. Undefined when the block cannot be decoded (the chosen
 * server then reports the error itself).
 */
function firstContentType(block: Uint8Array | null): string | undefined {
  if (block === null) return undefined;
  try {
    return new HpackDecoder().decode(block, 0, block.length)["content-type"];
  } catch {
    return undefined;
  }
}
