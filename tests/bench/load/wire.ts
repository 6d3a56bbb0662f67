// Minimal protobuf wire-format reading for the load generators: varints and a walk over a message's fields, so a
// generator can pick out the one or two fields it measures without decoding whole messages (a full decode per
// message would make the generator, not the server, the limit). Varints are read as JS numbers (exact up to 2^53).

export const VARINT = 0;
const I64 = 1;
export const LEN = 2;
const I32 = 5;

export interface Cursor {
  buf: Uint8Array;
  pos: number;
}

export function varint(c: Cursor): number {
  let n = 0;
  let mul = 1;
  for (;;) {
    const b = c.buf[c.pos++];
    n += (b & 0x7f) * mul;
    if (b < 0x80) return n;
    mul *= 128;
  }
}

/** Walks the fields in buf[start, end): calls `on(field, wire, c)`; `on` must consume the field's value or return false to skip it. */
export function fields(buf: Uint8Array, start: number, end: number, on: (field: number, wire: number, c: Cursor, len: number) => boolean): void {
  const c: Cursor = { buf, pos: start };
  while (c.pos < end) {
    const tag = varint(c);
    const wire = tag & 7;
    const len = wire === LEN ? varint(c) : 0;
    const at = c.pos;
    if (on(tag >>> 3, wire, c, len)) continue;
    if (wire === VARINT) varint(c);
    else if (wire === I64) c.pos = at + 8;
    else if (wire === LEN) c.pos = at + len;
    else if (wire === I32) c.pos = at + 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** The value of a top-level varint field of a message (0, protobuf's default, when absent). */
export function varintField(msg: Uint8Array, field: number): number {
  let v = 0;
  fields(msg, 0, msg.length, (f, wire, c) => {
    if (f !== field || wire !== VARINT) return false;
    v = varint(c);
    return true;
  });
  return v;
}
