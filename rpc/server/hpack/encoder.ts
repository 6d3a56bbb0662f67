// HPACK encoding of the server's response header and trailer lists (RFC 7541 section 6.2.2): every field as a
// literal without indexing, so the encoder keeps no dynamic table and a block never depends on an earlier one.
// Names the static table has (":status", "content-type", ...) are referenced by index; ":status: 200" is the one
// fully indexed field. Strings go out raw (no Huffman): the blocks are small and built per response.
// Invariant: names are written lower-case, as HTTP/2 requires; a value is its String() form (arrays joined ", ").
import { encodeInt, rawStringLiteral } from "./primitives.ts";
import { STATIC_COUNT, STATIC_NAMES } from "./static_table.ts";

/** Header values as node:http2 accepts them in respond() and sendTrailers(). */
export type HeaderValue = string | number | readonly string[] | undefined;

const STATUS_200 = Uint8Array.of(0x88);
const STATIC_NAME_INDEX = new Map<string, number>();
for (let i = STATIC_COUNT; i >= 1; i--) STATIC_NAME_INDEX.set(STATIC_NAMES[i]!, i); // the lowest index wins

/** Encoded fields by name and value, for the few pairs that repeat on every response. */
const cache = new Map<string, Uint8Array>();
const CACHE_LIMIT = 512;

/** Encodes one field; pairs seen before come from the cache. */
export function encodeField(name: string, value: string): Uint8Array {
  const key = `${name}\n${value}`;
  let bytes = cache.get(key);
  if (bytes === undefined) {
    bytes = name === ":status" && value === "200" ? STATUS_200 : literal(name, value);
    if (cache.size < CACHE_LIMIT) cache.set(key, bytes);
  }
  return bytes;
}

/** Encodes a header object (pseudo-headers first, as HTTP/2 requires) into one block. */
export function encodeHeaders(headers: Record<string, HeaderValue>): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const add = (name: string, v: HeaderValue) => {
    if (v === undefined) return;
    const bytes = encodeField(name.toLowerCase(), Array.isArray(v) ? v.join(", ") : String(v));
    parts.push(bytes);
    size += bytes.length;
  };
  for (const name in headers) if (name.charCodeAt(0) === 58 /* ':' */) add(name, headers[name]);
  for (const name in headers) if (name.charCodeAt(0) !== 58) add(name, headers[name]);
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function literal(name: string, value: string): Uint8Array {
  const index = STATIC_NAME_INDEX.get(name);
  const namePart = index !== undefined ? encodeInt(index, 4, 0) : Buffer.concat([Uint8Array.of(0), rawStringLiteral(name)]);
  return new Uint8Array(Buffer.concat([namePart, rawStringLiteral(value)]));
}
