// Read access to one page of a bbolt file (or an inline bucket page) without copying: element headers,
// keys and values are read straight from the underlying bytes (usually the mmap of the file).
// A PageRef is only valid while the transaction that produced it is open.
import { BRANCH_PAGE, ELEMENT_SIZE, LEAF_PAGE, PAGE_HEADER_SIZE, getU64 } from "./layout.ts";

export class PageRef {
  readonly flags: number;
  readonly count: number;
  readonly overflow: number;

  /**
   * `buf` holds the page starting at byte `off` and `view` is a DataView over all of `buf` (shared by every
   * page of one mapping); `id` is the page id (0 for an inline page).
   */
  constructor(readonly buf: Uint8Array, readonly view: DataView, readonly off: number, readonly id: number) {
    this.flags = this.view.getUint16(off + 8, true);
    this.count = this.view.getUint16(off + 10, true);
    this.overflow = this.view.getUint32(off + 12, true);
  }

  get isLeaf(): boolean {
    return (this.flags & LEAF_PAGE) !== 0;
  }
  get isBranch(): boolean {
    return (this.flags & BRANCH_PAGE) !== 0;
  }

  /** Byte offset (in buf) of element i's header. */
  elem(i: number): number {
    return this.off + PAGE_HEADER_SIZE + i * ELEMENT_SIZE;
  }

  /** Leaf element flags (BUCKET_LEAF_FLAG for a nested bucket). */
  leafFlags(i: number): number {
    return this.view.getUint32(this.elem(i), true);
  }

  keyOffset(i: number): number {
    const e = this.elem(i);
    return e + this.view.getUint32(e + (this.isLeaf ? 4 : 0), true);
  }
  keySize(i: number): number {
    return this.view.getUint32(this.elem(i) + (this.isLeaf ? 8 : 4), true);
  }
  key(i: number): Uint8Array {
    const o = this.keyOffset(i);
    return this.buf.subarray(o, o + this.keySize(i));
  }
  value(i: number): Uint8Array {
    const e = this.elem(i);
    const o = e + this.view.getUint32(e + 4, true) + this.view.getUint32(e + 8, true);
    return this.buf.subarray(o, o + this.view.getUint32(e + 12, true));
  }
  /** Child page id of branch element i. */
  childPgid(i: number): number {
    return getU64(this.view, this.elem(i) + 8);
  }

  /** Compares element i's key with `key` without allocating: <0, 0, >0. */
  compareKey(i: number, key: Uint8Array): number {
    const o = this.keyOffset(i);
    const n = this.keySize(i);
    const buf = this.buf;
    const m = n < key.length ? n : key.length;
    for (let j = 0; j < m; j++) {
      const d = buf[o + j] - key[j];
      if (d !== 0) return d;
    }
    return n - key.length;
  }

  /** Index of the first element whose key is >= key (count if none). */
  lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKey(mid, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
