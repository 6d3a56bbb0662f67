// Revision {main, sub} and its bucket-key encoding in the backend's `key` bucket (etcd 3.4 mvcc/revision.go,
// kvstore.go). Layout: 8-byte big-endian main, '_' (0x5f), 8-byte big-endian sub = 17 bytes; a tombstone
// appends 't' (0x74) = 18 bytes. Byte order of these keys equals revision order, so the bucket is append-only.
// Invariant: main and sub are integers. etcd uses int64; here they are JS numbers, exact below 2^53
// (at 1e6 writes/s that is 285 years). Encoding uses two's complement like Go's uint64(int64) cast, and
// decoding rejects values that are not safe integers instead of silently rounding.

export interface Revision {
  readonly main: number;
  readonly sub: number;
}

/** Byte length of a normal revision key: main(8) '_' sub(8). */
export const REV_BYTES_LEN = 17;
/** Byte length of a revision key carrying a mark (the tombstone 't'). */
export const MARKED_REV_BYTES_LEN = REV_BYTES_LEN + 1;
/** Position of the mark byte in a marked revision key. */
export const MARK_BYTE_POSITION = MARKED_REV_BYTES_LEN - 1;
/** The mark byte of a tombstone ('t'). */
export const MARK_TOMBSTONE = 0x74;
const SEPARATOR = 0x5f; // '_'
const TWO_32 = 4294967296;

/** Negative / zero / positive as a is before / equal to / after b (etcd's GreaterThan, as a comparator). */
export function compareRevision(a: Revision, b: Revision): number {
  return a.main !== b.main ? (a.main < b.main ? -1 : 1) : a.sub === b.sub ? 0 : a.sub < b.sub ? -1 : 1;
}

/** etcd's revision.GreaterThan. */
export function revisionGreaterThan(a: Revision, b: Revision): boolean {
  return a.main > b.main || (a.main === b.main && a.sub > b.sub);
}

/** Writes n as 8 bytes big-endian two's complement (Go's binary.BigEndian.PutUint64(uint64(int64))). */
function putInt64BE(out: Uint8Array, at: number, n: number): void {
  const hi = Math.floor(n / TWO_32) >>> 0;
  const lo = n >>> 0;
  out[at] = hi >>> 24;
  out[at + 1] = hi >>> 16;
  out[at + 2] = hi >>> 8;
  out[at + 3] = hi;
  out[at + 4] = lo >>> 24;
  out[at + 5] = lo >>> 16;
  out[at + 6] = lo >>> 8;
  out[at + 7] = lo;
}

function getInt64BE(b: Uint8Array, at: number): number {
  const hi = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]; // signed
  const lo = ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0;
  const n = hi * TWO_32 + lo;
  if (!Number.isSafeInteger(n)) throw new RangeError(`mvcc: revision component ${hi}:${lo} is beyond 2^53`);
  return n;
}

/** Writes the 17-byte key of rev at out[at..]; with tombstone, also the 't' mark (18 bytes). */
export function writeRevBytes(rev: Revision, out: Uint8Array, at = 0, tombstone = false): void {
  putInt64BE(out, at, rev.main);
  out[at + 8] = SEPARATOR;
  putInt64BE(out, at + 9, rev.sub);
  if (tombstone) out[at + MARK_BYTE_POSITION] = MARK_TOMBSTONE;
}

/** The bucket key of rev: 17 bytes, or 18 with the tombstone mark (etcd revToBytes + appendMarkTombstone). */
export function revToBytes(rev: Revision, tombstone = false): Uint8Array {
  const out = new Uint8Array(tombstone ? MARKED_REV_BYTES_LEN : REV_BYTES_LEN);
  writeRevBytes(rev, out, 0, tombstone);
  return out;
}

/** Decodes the revision of a bucket key (marked or not). etcd's bytesToRev reads bytes[0:8] and bytes[9:17]. */
export function bytesToRev(b: Uint8Array): Revision {
  if (b.length !== REV_BYTES_LEN && b.length !== MARKED_REV_BYTES_LEN) {
    throw new RangeError(`mvcc: revision key has ${b.length} bytes, want ${REV_BYTES_LEN} or ${MARKED_REV_BYTES_LEN}`);
  }
  return { main: getInt64BE(b, 0), sub: getInt64BE(b, 9) };
}

/** etcd's isTombstone: exactly 18 bytes and the last one is 't'. */
export function isTombstone(b: Uint8Array): boolean {
  return b.length === MARKED_REV_BYTES_LEN && b[MARK_BYTE_POSITION] === MARK_TOMBSTONE;
}
