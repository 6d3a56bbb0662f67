// Keys as the wire wants them: Bytes → Uint8Array (strings as UTF-8), and a KeySelector → etcd's
// (key, range_end) pair, with clientv3's prefix rule (GetPrefixRangeEnd) and "\0" for "every key ≥ key".
// Invariant: a selector names exactly one form (key alone, key+end, end alone, or prefix); anything else is
// a TypeError before a request is sent.
import type { KeyRange, KeySelector } from "./types.ts";
import { toBytes } from "../../engine/bytes/compare.ts";
import { prefixEnd } from "../../engine/bytes/prefix_end.ts";

export { prefixEnd, toBytes };

const ZERO = new Uint8Array([0]);
const EMPTY = new Uint8Array(0);

export interface WireRange {
  key: Uint8Array;
  /** Empty for a single key. */
  rangeEnd: Uint8Array;
}

export function wireRange(sel: KeySelector): WireRange {
  if (typeof sel === "string" || sel instanceof Uint8Array) return { key: toBytes(sel), rangeEnd: EMPTY };
  const r: KeyRange = sel;
  if (r.prefix !== undefined) {
    if (r.key !== undefined || r.end !== undefined) throw new TypeError("bunetcd: a key range takes either prefix or key/end, not both");
    const p = toBytes(r.prefix);
    return p.length === 0 ? { key: ZERO, rangeEnd: ZERO } : { key: p, rangeEnd: prefixEnd(p) };
  }
  if (r.key === undefined && r.end === undefined) throw new TypeError("bunetcd: a key range needs key, end or prefix");
  return { key: r.key === undefined ? ZERO : toBytes(r.key), rangeEnd: r.end === undefined ? EMPTY : toBytes(r.end) };
}
