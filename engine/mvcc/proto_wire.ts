// Minimal protobuf wire-format primitives for the hand-written mvccpb codecs: int64 varints from JS numbers
// (safe integers, negatives as 10-byte two's complement like Go's uint64(int64)) and from bigints, varint
// decoding, and skipping unknown fields. Invariant: no allocation on the number paths; the reader keeps its
// position in a caller-owned cursor object.

const TWO_32 = 4294967296;

/** Wire types used by proto3. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

/** Size in bytes of the varint of the 64-bit two's complement value hi:lo (both uint32). */
function sizeVarintParts(lo: number, hi: number): number {
  let n = 1;
  while (hi !== 0 || lo > 127) {
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
    n++;
  }
  return n;
}

function writeVarintParts(buf: Uint8Array, pos: number, lo: number, hi: number): number {
  while (hi !== 0 || lo > 127) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

/** Varint size of an int64 given as a safe-integer number. */
export function sizeVarint(n: number): number {
  if (n >= 0 && n < 128) return 1;
  return sizeVarintParts(n >>> 0, Math.floor(n / TWO_32) >>> 0);
}

/** Writes an int64 (safe-integer number) as a varint at pos; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  if (n >= 0 && n < 128) {
    buf[pos] = n;
    return pos + 1;
  }
  return writeVarintParts(buf, pos, n >>> 0, Math.floor(n / TWO_32) >>> 0);
}

const lo32 = (v: bigint) => Number(BigInt.asUintN(32, v));
const hi32 = (v: bigint) => Number(BigInt.asUintN(32, v >> 32n));

/** Varint size of an int64 given as a bigint. */
export function sizeVarintBig(v: bigint): number {
  return sizeVarintParts(lo32(v), hi32(v));
}

/** Writes an int64 bigint as a varint. */
export function writeVarintBig(buf: Uint8Array, pos: number, v: bigint): number {
  return writeVarintParts(buf, pos, lo32(v), hi32(v));
}

/** A read position over a buffer. `lo`/`hi` hold the last varint's uint32 halves. */
export interface Cursor {
  buf: Uint8Array;
  pos: number;
  end: number;
  lo: number;
  hi: number;
}

export function cursor(buf: Uint8Array, pos = 0, end = buf.length): Cursor {
  return { buf, pos, end, lo: 0, hi: 0 };
}

function truncated(): never {
  throw new RangeError("proto: truncated or malformed varint");
}

/** Reads a varint into c.lo / c.hi (uint32 halves of the 64-bit value). */
export function readVarintParts(c: Cursor): void {
  const buf = c.buf;
  let pos = c.pos;
  let lo = 0;
  let hi = 0;
  let b = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= c.end) truncated();
    b = buf[pos++];
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      c.pos = pos;
      c.lo = lo >>> 0;
      c.hi = 0;
      return;
    }
  }
  if (pos >= c.end) truncated();
  b = buf[pos++];
  lo |= (b & 0x7f) << 28;
  hi = (b & 0x7f) >>> 4;
  if (b >= 0x80) {
    for (let shift = 3; ; shift += 7) {
      if (shift > 31 || pos >= c.end) truncated(); // at most 10 bytes
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
  }
  c.pos = pos;
  c.lo = lo >>> 0;
  c.hi = hi >>> 0;
}

/** Reads an int64 varint as a number; throws if it is not a safe integer. */
export function readInt64(c: Cursor): number {
  readVarintParts(c);
  if (c.hi === 0) return c.lo;
  const n = (c.hi | 0) * TWO_32 + c.lo;
  if (!Number.isSafeInteger(n)) throw new RangeError(`proto: int64 ${n} is beyond 2^53; use a bigint field`);
  return n;
}

/** Reads an int64 varint as a bigint. */
export function readInt64Big(c: Cursor): bigint {
  readVarintParts(c);
  if (c.hi === 0) return BigInt(c.lo);
  return BigInt.asIntN(64, (BigInt(c.hi) << 32n) | BigInt(c.lo));
}

/** Reads a length-delimited field's bounds; returns the start offset and advances past it. */
export function readLengthDelimited(c: Cursor): number {
  const len = readInt64(c);
  const start = c.pos;
  if (len < 0 || start + len > c.end) throw new RangeError("proto: length-delimited field overruns the message");
  c.pos = start + len;
  return start;
}

/** Skips a field of the given wire type (unknown fields are ignored, as proto3 parsers do). */
export function skipField(c: Cursor, wireType: number): void {
  switch (wireType) {
    case WIRE_VARINT:
      readVarintParts(c);
      return;
    case WIRE_FIXED64:
      c.pos += 8;
      break;
    case WIRE_BYTES:
      readLengthDelimited(c);
      return;
    case WIRE_FIXED32:
      c.pos += 4;
      break;
    default:
      throw new RangeError(`proto: unsupported wire type ${wireType}`);
  }
  if (c.pos > c.end) throw new RangeError("proto: fixed field overruns the message");
}
