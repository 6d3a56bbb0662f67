// bbolt's on-disk layout (format version 2), byte for byte: page header, element headers, meta, bucket header.
// All integers are little-endian. A page is `pageSize` bytes (an overflow run is 1 + overflow pages).
//
//   page header (16 B): id u64 @0 | flags u16 @8 | count u16 @10 | overflow u32 @12
//   branch element (16 B): pos u32 | ksize u32 | pgid u64      (pos is relative to the element itself)
//   leaf element (16 B):   flags u32 | pos u32 | ksize u32 | vsize u32
//   meta (64 B, after the page header): magic u32 | version u32 | pageSize u32 | flags u32 |
//        root{pgid u64, sequence u64} | freelist u64 | pgid (high water) u64 | txid u64 | checksum u64
//   bucket value header (16 B): root pgid u64 | sequence u64; root 0 means an inline page follows.

export const PAGE_HEADER_SIZE = 16;
export const ELEMENT_SIZE = 16; // branch and leaf elements are both 16 bytes
export const META_SIZE = 64;
export const BUCKET_HEADER_SIZE = 16;

export const BRANCH_PAGE = 0x01;
export const LEAF_PAGE = 0x02;
export const META_PAGE = 0x04;
export const FREELIST_PAGE = 0x10;

/** Leaf element flag: the value is a bucket header (a nested bucket). */
export const BUCKET_LEAF_FLAG = 0x01;

export const MAGIC = 0xed0cdaed;
export const VERSION = 2;

export const MAX_KEY_SIZE = 32768;
export const MAX_VALUE_SIZE = 2 ** 31 - 2;
export const MIN_KEYS_PER_PAGE = 2;
export const MIN_FILL_PERCENT = 0.1;
export const MAX_FILL_PERCENT = 1.0;
export const DEFAULT_FILL_PERCENT = 0.5;
/** Freelist count at or above this is stored in the first u64 of the page body instead. */
export const FREELIST_COUNT_OVERFLOW = 0xffff;

/** A little-endian u64 that is a page id or count (always < 2^53), read without BigInt. */
export function getU64(view: DataView, off: number): number {
  return view.getUint32(off, true) + view.getUint32(off + 4, true) * 0x100000000;
}

export function setU64(view: DataView, off: number, n: number): void {
  view.setUint32(off, n >>> 0, true);
  view.setUint32(off + 4, Math.floor(n / 0x100000000), true);
}

/** Reads the page header fields at byte offset `off` of `buf`. */
export function pageHeader(view: DataView, off: number) {
  return {
    id: getU64(view, off),
    flags: view.getUint16(off + 8, true),
    count: view.getUint16(off + 10, true),
    overflow: view.getUint32(off + 12, true),
  };
}

export function writePageHeader(view: DataView, off: number, id: number, flags: number, count: number, overflow: number): void {
  setU64(view, off, id);
  view.setUint16(off + 8, flags, true);
  view.setUint16(off + 10, count, true);
  view.setUint32(off + 12, overflow, true);
}

export function pageKind(flags: number): string {
  if (flags & BRANCH_PAGE) return "branch";
  if (flags & LEAF_PAGE) return "leaf";
  if (flags & META_PAGE) return "meta";
  if (flags & FREELIST_PAGE) return "freelist";
  return `unknown<${flags.toString(16).padStart(2, "0")}>`;
}

export function viewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
