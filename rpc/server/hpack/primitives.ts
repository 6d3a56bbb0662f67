// HPACK primitive representations (RFC 7541 section 5): prefixed integers and string literals, read from a
// header block in place (no copies) and written for the few strings the authority rewriter re-encodes.
// Invariants: reads never go past `end` (a truncated block throws HpackError); strings are latin1, so a string's
// JS length equals its octet length, which is what HPACK table entry sizes count.
import { huffmanDecode } from "./huffman.ts";

export class HpackError extends Error {}

/** Largest integer accepted; bigger ones are garbage or an attack (sizes and indices here are far smaller). */
const MAX_INT = 0x7fffffff;

/** A value and the offset just past its representation. */
export interface Read<T> {
  value: T;
  end: number;
}

/** Reads an integer with an N-bit prefix whose first octet is block[pos] (section 5.1). */
export function readInt(block: Uint8Array, pos: number, end: number, prefixBits: number): Read<number> {
  if (pos >= end) throw new HpackError("hpack: truncated integer");
  const max = (1 << prefixBits) - 1;
  let value = block[pos]! & max;
  pos++;
  if (value < max) return { value, end: pos };
  let shift = 0;
  for (;;) {
    if (pos >= end) throw new HpackError("hpack: truncated integer");
    const b = block[pos++]!;
    if (shift > 28) throw new HpackError("hpack: integer too long"); // beyond 2^31 however the octets read
    value += (b & 0x7f) * 2 ** shift;
    if (value > MAX_INT) throw new HpackError("hpack: integer overflow");
    if ((b & 0x80) === 0) return { value, end: pos };
    shift += 7;
  }
}

/** Reads a string literal (section 5.2) starting at block[pos], decoding Huffman if its H bit is set. */
export function readString(block: Uint8Array, pos: number, end: number): Read<string> {
  const huffman = pos < end && (block[pos]! & 0x80) !== 0;
  const len = readInt(block, pos, end, 7);
  const stop = len.end + len.value;
  if (stop > end) throw new HpackError("hpack: truncated string literal");
  const value = huffman ? huffmanDecode(block, len.end, stop) : latin1(block, len.end, stop);
  return { value, end: stop };
}

/** Skips a string literal without decoding it; returns its end offset. */
export function skipString(block: Uint8Array, pos: number, end: number): number {
  const len = readInt(block, pos, end, 7);
  const stop = len.end + len.value;
  if (stop > end) throw new HpackError("hpack: truncated string literal");
  return stop;
}

/** Encodes `text` (latin1) as a raw, non-Huffman string literal. */
export function rawStringLiteral(text: string): Buffer {
  const len = encodeInt(text.length, 7, 0);
  return Buffer.concat([len, Buffer.from(text, "latin1")]);
}

/** Encodes an integer with an N-bit prefix; `flags` are the bits above the prefix in the first octet. */
export function encodeInt(value: number, prefixBits: number, flags: number): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([flags | value]);
  const out = [flags | max];
  value -= max;
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return Buffer.from(out);
}

function latin1(block: Uint8Array, start: number, end: number): string {
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString("latin1");
}
