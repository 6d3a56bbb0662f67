// Builds HPACK header blocks (RFC 7541 section 6) and HTTP/2 frames octet by octet, for unit tests of the
// `:authority` filter: every representation kind, raw or Huffman strings, any flags and chunking.
import { huffmanEncode } from "../../../../rpc/server/hpack/huffman.ts";
import { encodeInt, rawStringLiteral } from "../../../../rpc/server/hpack/primitives.ts";

export type LiteralKind = "incremental" | "without" | "never";

const LITERAL_PREFIX: Record<LiteralKind, { bits: number; flags: number }> = {
  incremental: { bits: 6, flags: 0x40 },
  without: { bits: 4, flags: 0x00 },
  never: { bits: 4, flags: 0x10 },
};

/** A string literal, raw or Huffman-coded. */
export function str(text: string, huffman = false): Buffer {
  if (!huffman) return rawStringLiteral(text);
  const h = huffmanEncode(text);
  return Buffer.concat([encodeInt(h.length, 7, 0x80), h]);
}

/** An indexed header field. */
export const indexed = (index: number): Buffer => encodeInt(index, 7, 0x80);

/** A dynamic table size update. */
export const sizeUpdate = (max: number): Buffer => encodeInt(max, 5, 0x20);

/** A literal header field; `name` is an index or a literal name. */
export function literal(kind: LiteralKind, name: number | string, value: string, huffman = false): Buffer {
  const { bits, flags } = LITERAL_PREFIX[kind];
  const namePart = typeof name === "number" ? [encodeInt(name, bits, flags)] : [encodeInt(0, bits, flags), str(name, huffman)];
  return Buffer.concat([...namePart, str(value, huffman)]);
}

/** An HTTP/2 frame. */
export function frame(type: number, flags: number, streamId: number, payload: Uint8Array): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(streamId, 5);
  return Buffer.concat([h, payload]);
}

export const FRAME = { DATA: 0x0, HEADERS: 0x1, PRIORITY: 0x2, SETTINGS: 0x4, PING: 0x6, WINDOW_UPDATE: 0x8, CONTINUATION: 0x9 } as const;
export const FLAG = { END_STREAM: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
