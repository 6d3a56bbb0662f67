// The headers of a connection's first request, read from the octets a probe has seen (client preface first):
// the first HEADERS frame and its CONTINUATIONs, decoded with a fresh HPACK decoder (the first block is the
// first the client's encoder produced, so no earlier table state is missing). Used to pick, per connection,
// the server that will own it (rpc/server/rpc_server.ts), the way etcd's cmux matches a connection by the
// content-type of its first request.
// Invariant: pure; returns undefined while the block is incomplete or when it cannot be decoded.
import { HpackDecoder, type DecodedHeaders } from "../hpack/decoder.ts";
import { CONTINUATION, FLAG_END_HEADERS, FLAG_PADDED, FLAG_PRIORITY, FRAME_HEADER, HEADERS, PREFACE } from "./frames.ts";

export function firstRequestHeaders(bytes: Buffer): DecodedHeaders | undefined {
  const parts: Buffer[] = [];
  let at = PREFACE.length;
  while (bytes.length - at >= FRAME_HEADER) {
    const length = (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
    const type = bytes[at + 3]!;
    const flags = bytes[at + 4]!;
    const end = at + FRAME_HEADER + length;
    if (end > bytes.length) return undefined;
    let s = at + FRAME_HEADER;
    let e = end;
    if (type === HEADERS || (type === CONTINUATION && parts.length > 0)) {
      if (type === HEADERS && flags & FLAG_PADDED) e -= bytes[s++]!;
      if (type === HEADERS && flags & FLAG_PRIORITY) s += 5;
      if (s > e) return undefined;
      parts.push(bytes.subarray(s, e));
      if (flags & FLAG_END_HEADERS) {
        const block = Buffer.concat(parts);
        try {
          return new HpackDecoder().decode(block, 0, block.length);
        } catch {
          return undefined;
        }
      }
    }
    at = end;
  }
  return undefined;
}
