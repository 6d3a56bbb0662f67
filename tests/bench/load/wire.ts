// Minimal protobuf wire-format reading for the load generators: varints and walks over a message's fields, so a
// generator can pick out the one or two fields it measures without decoding whole messages (a full decode per
// message would make the generator, not the server, the limit). Plain loops over the bytes, positions passed and
// returned as numbers (no cursor objects, no callback per field): the watch generator reads a million messages a
// second. Varints are read as JS numbers (exact up to 2^53).

export const VARINT = 0;
const I64 = 1;
export const LEN = 2;
const I32 = 5;

/** Where the last readVarint stopped. */
export let after = 0;

/** The varint at buf[pos]; `after` is then the position that follows it. */
export function readVarint(buf: Uint8Array, pos: number): number {
  let n = 0;
  let mul = 1;
  for (;;) {
    const b = buf[pos++]!;
    n += (b & 0x7f) * mul;
    if (b < 0x80) {
      after = pos;
      return n;
    }
    mul *= 128;
  }
}

/** The position after a field's value of wire type `wire` starting at pos (LEN: after its length prefix + bytes). */
export function skipValue(buf: Uint8Array, pos: number, wire: number): number {
  if (wire === VARINT) return readVarint(buf, pos), after;
  if (wire === LEN) return readVarint(buf, pos) + after;
  if (wire === I64) return pos + 8;
  if (wire === I32) return pos + 4;
  throw new Error(`unsupported wire type ${wire}`);
}

/** Where the value of the field findLen found lies: buf[lenStart, lenEnd). */
export let lenStart = 0;
export let lenEnd = 0;

/** Finds the first LEN field `field` of the message at buf[start, end) (see lenStart/lenEnd); false if none. */
export function findLen(buf: Uint8Array, start: number, end: number, field: number): boolean {
  let pos = start;
  while (pos < end) {
    const tag = readVarint(buf, pos);
    pos = after;
    if (tag === ((field << 3) | LEN)) {
      const len = readVarint(buf, pos);
      lenStart = after;
      lenEnd = after + len;
      return true;
    }
    pos = skipValue(buf, pos, tag & 7);
  }
  return false;
}

/** The varint field `field` of the message at buf[start, end), the last one if repeated (0, the default, when absent). */
export function findVarint(buf: Uint8Array, start: number, end: number, field: number): number {
  let v = 0;
  let pos = start;
  while (pos < end) {
    const tag = readVarint(buf, pos);
    if (tag === ((field << 3) | VARINT)) {
      v = readVarint(buf, after);
      pos = after;
    } else pos = skipValue(buf, after, tag & 7);
  }
  return v;
}

/** The value of a top-level varint field of a message (0, protobuf's default, when absent). */
export function varintField(msg: Uint8Array, field: number): number {
  return findVarint(msg, 0, msg.length, field);
}
