// Record framing inside a segment file. Every record is 8-byte aligned:
//
//   offset 0   u32 LE  payload length L (bytes, without padding)
//   offset 4   u8      record type (RecordType)
//   offset 5   u8      padding P = (8 - L % 8) % 8 zero bytes after the payload
//   offset 6   u16 LE  header check: CRC-16/CCITT of bytes 0..5
//   offset 8   L bytes payload, then P zero bytes
//   offset 8+L+P  u64 LE  checksum = xxhash64(bytes [0, 8+L+P), seed = previous record's checksum)
//
// A preallocated (zero) tail therefore never parses as a record: an all-zero header fails its own
// check. The header check detects every single-byte change in the header, so a record's extent is
// trusted only when its header verifies; this is what lets the decoder tell a torn tail from
// corruption (see segment-decoder.ts).

export enum RecordType {
  Metadata = 1,
  Entry = 2,
  State = 3,
  Crc = 4,
  Snapshot = 5,
}

export const HEADER_BYTES = 8;
export const CHECKSUM_BYTES = 8;
/** Largest payload a record may carry (etcd caps a WAL entry at 10 MB; requests at 1.5 MiB). */
export const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

export function isRecordType(t: number): t is RecordType {
  return t >= RecordType.Metadata && t <= RecordType.Snapshot;
}

export function paddingFor(payloadBytes: number): number {
  return (8 - (payloadBytes % 8)) % 8;
}

export function frameBytes(payloadBytes: number): number {
  return HEADER_BYTES + payloadBytes + paddingFor(payloadBytes) + CHECKSUM_BYTES;
}

const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC-16/CCITT-FALSE of the 6 header bytes at `at`; detects any burst of up to 16 flipped bits. */
export function headerCheck(bytes: Uint8Array, at: number): number {
  let c = 0xffff;
  for (let i = at; i < at + 6; i++) c = ((c << 8) & 0xffff) ^ CRC16_TABLE[((c >> 8) ^ bytes[i]) & 0xff];
  return c;
}

/** Fills in the 8-byte header at `at` for a payload of `payloadBytes`. */
export function writeHeader(view: DataView, bytes: Uint8Array, at: number, type: RecordType, payloadBytes: number): void {
  view.setUint32(at, payloadBytes, true);
  bytes[at + 4] = type;
  bytes[at + 5] = paddingFor(payloadBytes);
  view.setUint16(at + 6, headerCheck(bytes, at), true);
}
