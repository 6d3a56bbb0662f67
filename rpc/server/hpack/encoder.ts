// HPACK encoding of the server's response header and trailer lists (RFC 7541 section 6.2.2): every field as a
// literal without indexing, so the encoder keeps no dynamic table and a block never depends on an earlier one.
// Names the static table has (":status", "content-type", ...) are referenced by index; ":status: 200" is the one
// fully indexed field. Strings go out raw (no Huffman): the blocks are small and built per response.
// Encoded fields are cached by name and value (the same few pairs repeat on every response), so encoding a
// usual block allocates nothing: `encodeFields` fills a caller's scratch array with cached field encodings.
// Invariant: names are written lower-case, as HTTP/2 requires; a value is its String() form (arrays joined ", ").
import { encodeInt, rawStringLiteral } from "./primitives.ts";
import { STATIC_COUNT, STATIC_NAMES } from "./static_table.ts";

/** Header values as node:http2 accepts them in respond() and sendTrailers(). */
export type HeaderValue = string | number | readonly string[] | undefined;
export type HeaderList = Record<string, HeaderValue>;

const STATUS_200 = Uint8Array.of(0x88);
const STATIC_NAME_INDEX = new Map<string, number>();
for (let i = STATIC_COUNT; i >= 1; i--) STATIC_NAME_INDEX.set(STATIC_NAMES[i]!, i); // the lowest index wins

/** Encoded fields by name, then value. Bounded: past the limit, new pairs are encoded but not kept. */
const cache = new Map<string, Map<string, Uint8Array>>();
let cached = 0;
const CACHE_LIMIT = 512;

/** Encodes one field; pairs seen before come from the cache. */
export function encodeField(name: string, value: string): Uint8Array {
  let byValue = cache.get(name);
  let bytes = byValue?.get(value);
  if (bytes !== undefined) return bytes;
  bytes = name === ":status" && value === "200" ? STATUS_200 : literal(name, value);
  if (cached < CACHE_LIMIT) {
    if (byValue === undefined) cache.set(name, (byValue = new Map()));
    byValue.set(value, bytes);
    cached++;
  }
  return bytes;
}

/**
 * Puts the encoded fields of `headers` into `out` (pseudo-headers first, as HTTP/2 requires) and returns their
 * total length; `out` is truncated to the fields.
 */
export function encodeFields(headers: HeaderList, out: Uint8Array[]): number {
  out.length = 0;
  let size = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const name in headers) {
      if ((name.charCodeAt(0) === 58) /* ':' */ !== (pass === 0)) continue;
      const v = headers[name];
      if (v === undefined) continue;
      const bytes = encodeField(name.toLowerCase(), typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : String(v));
      out.push(bytes);
      size += bytes.length;
    }
  }
  return size;
}

/** Encodes a header list into one block. */
export function encodeHeaders(headers: HeaderList): Uint8Array {
  const fields: Uint8Array[] = [];
  const out = new Uint8Array(encodeFields(headers, fields));
  let at = 0;
  for (const f of fields) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

function literal(name: string, value: string): Uint8Array {
  const index = STATIC_NAME_INDEX.get(name);
  const namePart = index !== undefined ? encodeInt(index, 4, 0) : Buffer.concat([Uint8Array.of(0), rawStringLiteral(name)]);
  return new Uint8Array(Buffer.concat([namePart, rawStringLiteral(value)]));
}
