// Encodes records into one in-memory buffer, continuing the checksum chain, so a whole batch
// reaches the segment file with a single write(). Invariant: `checksum` is the checksum of the
// last record encoded (or of the last record on disk when nothing is buffered).
import { ByteBuffer } from "../bytes/byte-buffer.ts";
import { chainChecksum } from "./checksum.ts";
import { HEADER_BYTES, MAX_PAYLOAD_BYTES, paddingFor, RecordType, writeHeader } from "./record.ts";

export class RecordEncoder {
  readonly buf = new ByteBuffer();

  constructor(public checksum: bigint) {}

  /** Appends one record whose payload `encode(buf, value)` writes at the end of the buffer. */
  append<T>(type: RecordType, encode: (buf: ByteBuffer, value: T) => void, value: T): void {
    const buf = this.buf;
    const start = buf.length;
    buf.ensure(HEADER_BYTES);
    buf.length += HEADER_BYTES;
    encode(buf, value);
    const payloadBytes = buf.length - start - HEADER_BYTES;
    if (payloadBytes > MAX_PAYLOAD_BYTES) {
      buf.length = start;
      throw new RangeError(`wal: record payload of ${payloadBytes} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
    }
    buf.zeros(paddingFor(payloadBytes));
    writeHeader(buf.view, buf.bytes, start, type, payloadBytes);
    this.checksum = chainChecksum(buf.bytes.subarray(start, buf.length), this.checksum);
    buf.u64le(this.checksum);
  }

  /** Bytes waiting to be written. */
  pending(): Uint8Array {
    return this.buf.content();
  }

  /** Call after the pending bytes reached the file. */
  written(): void {
    this.buf.reset();
  }
}
