// An in-memory, modifiable copy of a B+tree page, made when a read-write transaction changes that page.
// Invariants: inodes are sorted by key; a leaf node's inodes carry values (and the bucket flag for nested
// buckets), a branch node's carry child page ids. On commit a node is split by its bucket's fill percent
// (spill) and written to freshly allocated pages; its old page is freed (never overwritten in place).
import { compareBytes } from "../bytes/compare.ts";
import {
  BRANCH_PAGE, ELEMENT_SIZE, LEAF_PAGE, MAX_FILL_PERCENT, MIN_FILL_PERCENT, MIN_KEYS_PER_PAGE, PAGE_HEADER_SIZE,
  setU64, writePageHeader,
} from "./layout.ts";
import type { PageRef } from "./page.ts";

export interface Inode {
  flags: number;
  pgid: number;
  key: Uint8Array;
  value: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export class Node {
  isLeaf: boolean;
  unbalanced = false;
  spilled = false;
  /** The key under which this node is (or was) filed in its parent; null for a new node. */
  key: Uint8Array | null = null;
  /** Page this node was read from (0 when new or inline). */
  pgid = 0;
  parent: Node | null;
  children: Node[] = [];
  inodes: Inode[] = [];

  constructor(isLeaf: boolean, parent: Node | null) {
    this.isLeaf = isLeaf;
    this.parent = parent;
  }

  /** Loads the node from a page. */
  static fromPage(p: PageRef, parent: Node | null): Node {
    const n = new Node(p.isLeaf, parent);
    n.pgid = p.id;
    const inodes: Inode[] = new Array(p.count);
    if (n.isLeaf) {
      for (let i = 0; i < p.count; i++) inodes[i] = { flags: p.leafFlags(i), pgid: 0, key: p.key(i), value: p.value(i) };
    } else {
      for (let i = 0; i < p.count; i++) inodes[i] = { flags: 0, pgid: p.childPgid(i), key: p.key(i), value: EMPTY };
    }
    n.inodes = inodes;
    n.key = inodes.length > 0 ? inodes[0].key : null;
    return n;
  }

  root(): Node {
    let n: Node = this;
    while (n.parent) n = n.parent;
    return n;
  }

  minKeys(): number {
    return this.isLeaf ? 1 : 2;
  }

  /** Serialized size in bytes (header + elements + keys + values). */
  size(): number {
    let sz = PAGE_HEADER_SIZE;
    for (const i of this.inodes) sz += ELEMENT_SIZE + i.key.length + i.value.length;
    return sz;
  }

  /**
   * Index of the first inode with key >= key. A key past the last one is answered after one comparison: the
   * `key` bucket is append-only (revisions grow), so every write lands there, and its leaf holds every key
   * written since the last commit.
   */
  lowerBound(key: Uint8Array): number {
    const inodes = this.inodes;
    if (inodes.length === 0 || compareBytes(inodes[inodes.length - 1].key, key) < 0) return inodes.length;
    let lo = 0;
    let hi = inodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(inodes[mid].key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts or replaces the inode filed under oldKey. */
  put(oldKey: Uint8Array, newKey: Uint8Array, value: Uint8Array, pgid: number, flags: number): void {
    const idx = this.lowerBound(oldKey);
    const exact = idx < this.inodes.length && compareBytes(this.inodes[idx].key, oldKey) === 0;
    if (exact) {
      const ino = this.inodes[idx];
      ino.flags = flags;
      ino.key = newKey;
      ino.value = value;
      ino.pgid = pgid;
    } else {
      this.inodes.splice(idx, 0, { flags, key: newKey, value, pgid });
    }
  }

  /** Removes the inode with this key, if present. */
  del(key: Uint8Array): void {
    const idx = this.lowerBound(key);
    if (idx >= this.inodes.length || compareBytes(this.inodes[idx].key, key) !== 0) return;
    this.removeAt(idx);
  }

  removeAt(idx: number): void {
    this.inodes.splice(idx, 1);
    this.unbalanced = true;
  }

  childIndex(child: Node): number {
    return child.key ? this.lowerBound(child.key) : 0;
  }

  removeChild(target: Node): void {
    const i = this.children.indexOf(target);
    if (i >= 0) this.children.splice(i, 1);
  }

  /** Writes the node into `buf` (zeroed, large enough) as a page with the given id and overflow. */
  write(buf: Uint8Array, off: number, id: number, overflow: number): void {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const count = this.inodes.length;
    if (count >= 0xffff) throw new Error(`inode overflow: ${count} (pgid=${id})`);
    writePageHeader(view, off, id, this.isLeaf ? LEAF_PAGE : BRANCH_PAGE, count, overflow);
    let data = off + PAGE_HEADER_SIZE + ELEMENT_SIZE * count;
    let e = off + PAGE_HEADER_SIZE;
    for (let i = 0; i < count; i++, e += ELEMENT_SIZE) {
      const ino = this.inodes[i];
      if (this.isLeaf) {
        view.setUint32(e, ino.flags, true);
        view.setUint32(e + 4, data - e, true);
        view.setUint32(e + 8, ino.key.length, true);
        view.setUint32(e + 12, ino.value.length, true);
      } else {
        view.setUint32(e, data - e, true);
        view.setUint32(e + 4, ino.key.length, true);
        setU64(view, e + 8, ino.pgid);
      }
      buf.set(ino.key, data);
      data += ino.key.length;
      if (ino.value.length) {
        buf.set(ino.value, data);
        data += ino.value.length;
      }
    }
  }

  /**
   * Splits this node into nodes that fit `fillPercent` of a page (bbolt's rule: a node splits only when it
   * has more than four keys and does not fit a page; each piece takes keys until the next would pass
   * pageSize*fillPercent, keeping at least two keys on each side). New siblings are added to the parent
   * (created if this is the root). One pass over the inodes.
   */
  split(pageSize: number, fillPercent: number): Node[] {
    const fp = Math.min(MAX_FILL_PERCENT, Math.max(MIN_FILL_PERCENT, fillPercent));
    const threshold = Math.floor(pageSize * fp);
    const all = this.inodes;
    const sizes = new Array<number>(all.length);
    for (let i = 0; i < all.length; i++) sizes[i] = ELEMENT_SIZE + all[i].key.length + all[i].value.length;
    // Suffix sums tell whether the remainder still needs splitting (fits a page or has <= 4 keys).
    const cuts: number[] = [];
    let start = 0;
    let rest = PAGE_HEADER_SIZE;
    for (const sz of sizes) rest += sz;
    for (;;) {
      const remaining = all.length - start;
      if (remaining <= MIN_KEYS_PER_PAGE * 2 || rest < pageSize) break;
      let index = start;
      let sz = PAGE_HEADER_SIZE;
      for (let i = start; i < all.length - MIN_KEYS_PER_PAGE; i++) {
        index = i;
        if (i - start >= MIN_KEYS_PER_PAGE && sz + sizes[i] > threshold) break;
        sz += sizes[i];
      }
      cuts.push(index);
      rest -= sz - PAGE_HEADER_SIZE;
      start = index;
    }
    if (cuts.length === 0) return [this];
    if (!this.parent) {
      this.parent = new Node(false, null);
      this.parent.children.push(this);
    }
    const out: Node[] = [this];
    for (let c = 0; c < cuts.length; c++) {
      const next = new Node(this.isLeaf, this.parent);
      next.inodes = all.slice(cuts[c], c + 1 < cuts.length ? cuts[c + 1] : all.length);
      this.parent.children.push(next);
      out.push(next);
    }
    this.inodes = all.slice(0, cuts[0]);
    return out;
  }
}
