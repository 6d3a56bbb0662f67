// What etcd 3.4's WAL reader (etcd_wal.ts) and writer (etcd_wal_writer.ts) share: the walpb.Record types,
// segment file names (`%016x-%016x.wal`: sequence, first index), the segment size etcd preallocates, and the
// frame: a u64 little-endian length field whose top byte, when its high bit is set, carries the count of
// zero bytes padding the record to 8-byte alignment (etcd's encodeFrameSize/decodeFrameSize).

export const METADATA = 1, ENTRY = 2, STATE = 3, CRC = 4, SNAPSHOT = 5;

/** wal.SegmentSizeBytes: each segment file is preallocated to this size. */
export const SEGMENT_SIZE_BYTES = 64 * 1000 * 1000;

export const SEGMENT = /^[0-9a-f]{16}-[0-9a-f]{16}\.wal$/;

export function segmentName(seq: number, index: number): string {
  return `${seq.toString(16).padStart(16, "0")}-${index.toString(16).padStart(16, "0")}.wal`;
}

/** The length field and padding for a record of dataBytes bytes. */
export function encodeFrameSize(dataBytes: number): { lenField: bigint; pad: number } {
  const pad = (8 - (dataBytes % 8)) % 8;
  let lenField = BigInt(dataBytes);
  if (pad !== 0) lenField |= BigInt(0x80 | pad) << 56n;
  return { lenField, pad };
}

/** Record size and padding from a length field. */
export function decodeFrameSize(lenField: bigint): { recBytes: number; pad: number } {
  const recBytes = Number(lenField & 0x00ffffffffffffffn);
  const pad = lenField >> 63n ? Number((lenField >> 56n) & 0x7n) : 0;
  return { recBytes, pad };
}
