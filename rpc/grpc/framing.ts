// gRPC length-prefixed message framing: each message on the wire is a 5-byte prefix (compressed flag byte,
// u32 big-endian length) followed by the message bytes. FrameDecoder reassembles messages from HTTP/2 DATA
// chunks of any size and enforces the receive limit before buffering a message body (grpc-go's wording).
import { Code, ConnectError } from "@connectrpc/connect";

export const FRAME_HEADER_BYTES = 5;

/**
 * One framed message: flag 0 (uncompressed) + length + payload, in a single buffer. A Buffer (every byte written),
 * so node's Writable takes it as it is instead of wrapping a Uint8Array per write.
 */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out: Uint8Array = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  writeFrame(out, 0, payload);
  return out;
}

/** Writes the frame of `payload` into out at pos; returns the position after it. */
export function writeFrame(out: Uint8Array, pos: number, payload: Uint8Array): number {
  pos = writeFrameHeader(out, pos, payload.length);
  out.set(payload, pos);
  return pos + payload.length;
}

/** Writes the 5-byte prefix of an n-byte message at pos; returns where the message goes. */
export function writeFrameHeader(out: Uint8Array, pos: number, n: number): number {
  out[pos] = 0;
  out[pos + 1] = n >>> 24;
  out[pos + 2] = (n >>> 16) & 0xff;
  out[pos + 3] = (n >>> 8) & 0xff;
  out[pos + 4] = n & 0xff;
  return pos + FRAME_HEADER_BYTES;
}

/** Incremental decoder: push chunks, get back every message completed by them. A message lying within one chunk is
 *  returned as a view of it; a message split across chunks is joined once, when its last byte arrives, from its own
 *  bytes only (the rest of that chunk is read in place): every byte is copied at most once, and a body whose header
 *  alone came in an earlier chunk (grpc-go writes them apart) not at all. */
export class FrameDecoder {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes `pending` must hold before parsing can make progress: a frame header, then the whole frame. */
  private needed = FRAME_HEADER_BYTES;

  constructor(private readonly maxMessageBytes: number) {}

  /** Bytes received but not yet part of a complete message (a truncated frame if the stream ends now). */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Appends a chunk; returns the messages it completes, in order. Throws a ConnectError on a bad frame. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let pos = 0;
    while (this.pendingBytes > 0) {
      const missing = this.needed - this.pendingBytes;
      if (chunk.length - pos < missing) {
        this.keep(chunk.subarray(pos));
        return out;
      }
      if (this.pendingBytes === FRAME_HEADER_BYTES && this.needed > FRAME_HEADER_BYTES) {
        // only the (checked) header came before, as grpc-go sends it: the body is whole in this chunk, no copy
        out.push(chunk.subarray(pos, pos + missing));
        pos += missing;
        this.pending = [];
        this.pendingBytes = 0;
        this.needed = FRAME_HEADER_BYTES;
        continue;
      }
      this.pending.push(chunk.subarray(pos, pos + missing));
      pos += missing;
      const joined = concat(this.pending, this.needed);
      this.pending = [];
      this.pendingBytes = 0;
      this.needed = FRAME_HEADER_BYTES;
      if (this.parse(joined, 0, out) !== joined.length) this.keep(joined); // a header alone: its body is still to come
    }
    const end = this.parse(chunk, pos, out);
    if (end < chunk.length) this.keep(chunk.subarray(end));
    return out;
  }

  private keep(part: Uint8Array): void {
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  /** Appends the complete frames of buf from pos to out; returns where the first incomplete one starts (and sets `needed`). */
  private parse(buf: Uint8Array, pos: number, out: Uint8Array[]): number {
    this.needed = FRAME_HEADER_BYTES;
    while (buf.length - pos >= FRAME_HEADER_BYTES) {
      const flag = buf[pos];
      const len = ((buf[pos + 1] << 24) >>> 0) + (buf[pos + 2] << 16) + (buf[pos + 3] << 8) + buf[pos + 4];
      if (flag !== 0) {
        throw new ConnectError(
          flag === 1 ? "grpc: compressed messages are not supported (no grpc-encoding is accepted)" : `grpc: invalid frame flag ${flag}`,
          flag === 1 ? Code.Unimplemented : Code.Internal,
        );
      }
      if (len > this.maxMessageBytes) {
        throw new ConnectError(`grpc: received message larger than max (${len} vs. ${this.maxMessageBytes})`, Code.ResourceExhausted);
      }
      if (buf.length - pos - FRAME_HEADER_BYTES < len) {
        this.needed = FRAME_HEADER_BYTES + len;
        break;
      }
      out.push(buf.subarray(pos + FRAME_HEADER_BYTES, pos + FRAME_HEADER_BYTES + len));
      pos += FRAME_HEADER_BYTES + len;
    }
    return pos;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
