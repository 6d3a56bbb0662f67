// The meta page: the root of a committed transaction. Pages 0 and 1 hold two metas; a commit writes the
// one at (txid % 2), so the previous commit's meta survives a torn write. The valid meta with the higher
// txid is the current state. Validation: magic, version, and FNV-1a 64 over the 56 bytes before the checksum.
import { MAGIC, META_PAGE, META_SIZE, PAGE_HEADER_SIZE, VERSION, writePageHeader } from "./layout.ts";

export interface Meta {
  magic: number;
  version: number;
  pageSize: number;
  flags: number;
  /** Root bucket's root page id and sequence. */
  root: number;
  sequence: bigint;
  /** Freelist page id, or NO_FREELIST when the file was written without one (bbolt NoFreelistSync). */
  freelist: number;
  /** High-water mark: the first page id never allocated. */
  pgid: number;
  txid: number;
  checksum: bigint;
}

/** In memory: the file has no freelist page; on disk this is 0xFFFFFFFFFFFFFFFF. */
export const NO_FREELIST = -1;
const NO_FREELIST_ON_DISK = 0xffffffffffffffffn;

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** FNV-1a 64-bit hash, as Go's hash/fnv New64a. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV_OFFSET;
  for (let i = 0; i < bytes.length; i++) {
    h ^= BigInt(bytes[i]);
    h = (h * FNV_PRIME) & MASK64;
  }
  return h;
}

/** Decodes the meta stored in the page at `off` (page header included). */
export function readMeta(buf: Uint8Array, off: number): Meta {
  const v = new DataView(buf.buffer, buf.byteOffset + off + PAGE_HEADER_SIZE, META_SIZE);
  return {
    magic: v.getUint32(0, true),
    version: v.getUint32(4, true),
    pageSize: v.getUint32(8, true),
    flags: v.getUint32(12, true),
    root: Number(v.getBigUint64(16, true)),
    sequence: v.getBigUint64(24, true),
    freelist: v.getBigUint64(32, true) === NO_FREELIST_ON_DISK ? NO_FREELIST : Number(v.getBigUint64(32, true)),
    pgid: Number(v.getBigUint64(40, true)),
    txid: Number(v.getBigUint64(48, true)),
    checksum: v.getBigUint64(56, true),
  };
}

/** Why a meta is not usable, or null when it is valid. */
export function metaProblem(buf: Uint8Array, off: number, m: Meta): string | null {
  if (m.magic !== MAGIC) return "invalid database (bad magic)";
  if (m.version !== VERSION) return `version mismatch (file has version ${m.version}, expected ${VERSION})`;
  const sum = fnv1a64(buf.subarray(off + PAGE_HEADER_SIZE, off + PAGE_HEADER_SIZE + 56));
  // bbolt accepts a stored checksum of 0 (metas written before checksums existed).
  if (m.checksum !== 0n && sum !== m.checksum) return "checksum error";
  return null;
}

/** Encodes meta `m` into a fresh page buffer for page `id` (default m.txid % 2) and sets its checksum. */
export function metaPage(m: Meta, id = m.txid % 2): Uint8Array {
  const page = new Uint8Array(m.pageSize);
  const pv = new DataView(page.buffer);
  writePageHeader(pv, 0, id, META_PAGE, 0, 0);
  const v = new DataView(page.buffer, PAGE_HEADER_SIZE, META_SIZE);
  v.setUint32(0, m.magic, true);
  v.setUint32(4, m.version, true);
  v.setUint32(8, m.pageSize, true);
  v.setUint32(12, m.flags, true);
  v.setBigUint64(16, BigInt(m.root), true);
  v.setBigUint64(24, m.sequence, true);
  v.setBigUint64(32, m.freelist === NO_FREELIST ? NO_FREELIST_ON_DISK : BigInt(m.freelist), true);
  v.setBigUint64(40, BigInt(m.pgid), true);
  v.setBigUint64(48, BigInt(m.txid), true);
  m.checksum = fnv1a64(page.subarray(PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + 56));
  v.setBigUint64(56, m.checksum, true);
  return page;
}

export function newMeta(pageSize: number, txid: number): Meta {
  return { magic: MAGIC, version: VERSION, pageSize, flags: 0, root: 3, sequence: 0n, freelist: 2, pgid: 4, txid, checksum: 0n };
}

