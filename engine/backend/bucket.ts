// A bucket: a named B+tree of keys (and nested buckets) inside a transaction, bbolt's semantics.
// A bucket's value in its parent is a 16-byte header {root pgid, sequence}; when root is 0 the bucket is
// inline and its single leaf page follows the header. Modified pages are materialized as Nodes (cached
// by page id); on commit `spill` writes them to new pages and `rebalance` merges under-filled ones first.
// Values returned by get/cursor are views valid only until the transaction ends.
import { byteKey, compareBytes, equalBytes } from "../bytes/compare.ts";
import { Cursor, type Entry } from "./cursor.ts";
import {
  BucketExistsError, BucketNameRequiredError, BucketNotFoundError, IncompatibleValueError, KeyRequiredError,
  KeyTooLargeError, ValueTooLargeError,
} from "./errors.ts";
import {
  BUCKET_HEADER_SIZE, BUCKET_LEAF_FLAG, DEFAULT_FILL_PERCENT, ELEMENT_SIZE, MAX_KEY_SIZE, MAX_VALUE_SIZE,
  PAGE_HEADER_SIZE, getU64, setU64,
} from "./layout.ts";
import { Node } from "./node.ts";
import { PageRef } from "./page.ts";
import type { Tx } from "./tx.ts";

export class Bucket {
  /** Root page id; 0 for an inline bucket. */
  root: number;
  sequence: bigint;
  /** The inline page, for an inline bucket not yet materialized. */
  page: PageRef | null = null;
  rootNode: Node | null = null;
  readonly nodes = new Map<number, Node>();
  readonly buckets = new Map<string, Bucket>();
  private fill: number | undefined;

  constructor(readonly tx: Tx, root: number, sequence: bigint, readonly path: Uint8Array[]) {
    this.root = root;
    this.sequence = sequence;
  }

  /** Opens a child bucket from its stored value (header, plus inline page when root is 0). */
  static open(tx: Tx, value: Uint8Array, path: Uint8Array[]): Bucket {
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const b = new Bucket(tx, getU64(view, 0), view.getBigUint64(8, true), path);
    if (b.root === 0) b.page = new PageRef(value, view, BUCKET_HEADER_SIZE, 0);
    return b;
  }

  /** Where spilled nodes split, as a fraction of a page (0.1–1.0); from the DB's options unless set. Not stored in the file. */
  get fillPercent(): number {
    return (this.fill ??= this.path.length ? this.tx.db.fillPercentFor(this.path) : DEFAULT_FILL_PERCENT);
  }
  set fillPercent(v: number) {
    this.fill = v;
  }

  get writable(): boolean {
    return this.tx.writable;
  }

  cursor(): Cursor {
    this.tx.assertOpen();
    return new Cursor(this);
  }

  get(key: Uint8Array): Uint8Array | null {
    this.tx.assertOpen();
    // Descend without materializing: read modified nodes where they exist, pages elsewhere.
    let pn = this.pageNode(this.root);
    for (let depth = 0; ; depth++) {
      if (depth > 64) throw this.tx.db.corrupt(`tree deeper than 64 levels in bucket lookup`);
      if (pn instanceof Node) {
        const idx = pn.lowerBound(key);
        if (pn.isLeaf) {
          const ino = pn.inodes[idx];
          if (!ino || ino.flags & BUCKET_LEAF_FLAG || !equalBytes(ino.key, key)) return null;
          return ino.value;
        }
        pn = this.pageNode(pn.inodes[branchIndex(idx, pn.inodes.length, idx < pn.inodes.length && equalBytes(pn.inodes[idx].key, key))].pgid);
      } else {
        const idx = pn.lowerBound(key);
        if (pn.isLeaf) {
          if (idx >= pn.count || pn.leafFlags(idx) & BUCKET_LEAF_FLAG || pn.compareKey(idx, key) !== 0) return null;
          return pn.value(idx);
        }
        pn = this.pageNode(pn.childPgid(branchIndex(idx, pn.count, idx < pn.count && pn.compareKey(idx, key) === 0)));
      }
    }
  }

  /** The leaf node that holds (or would hold) key, materializing the path from the root. */
  private leafFor(key: Uint8Array): Node {
    let n = this.rootNode ?? this.node(this.root, null);
    for (let depth = 0; !n.isLeaf; depth++) {
      if (depth > 64) throw this.tx.db.corrupt(`tree deeper than 64 levels in bucket update`);
      const idx = n.lowerBound(key);
      n = this.childAt(n, branchIndex(idx, n.inodes.length, idx < n.inodes.length && equalBytes(n.inodes[idx].key, key)));
    }
    return n;
  }

  /**
   * Sets key to value. The value is not copied: it must not be modified before the transaction ends
   * (bbolt's rule); the key is copied.
   */
  put(key: Uint8Array, value: Uint8Array): void {
    this.tx.assertWritable();
    if (key.length === 0) throw new KeyRequiredError();
    if (key.length > MAX_KEY_SIZE) throw new KeyTooLargeError();
    if (value.length > MAX_VALUE_SIZE) throw new ValueTooLargeError();
    const leaf = this.leafFor(key);
    const idx = leaf.lowerBound(key);
    const ino = leaf.inodes[idx];
    if (ino && equalBytes(ino.key, key)) {
      if (ino.flags & BUCKET_LEAF_FLAG) throw new IncompatibleValueError();
      ino.value = value;
      return;
    }
    leaf.inodes.splice(idx, 0, { flags: 0, pgid: 0, key: this.tx.copy(key), value });
  }

  delete(key: Uint8Array): void {
    this.tx.assertWritable();
    const leaf = this.leafFor(key);
    const idx = leaf.lowerBound(key);
    const ino = leaf.inodes[idx];
    if (!ino || !equalBytes(ino.key, key)) return;
    if (ino.flags & BUCKET_LEAF_FLAG) throw new IncompatibleValueError();
    leaf.removeAt(idx);
  }

  /** Calls fn for every key in order; value is null for nested buckets. */
  forEach(fn: (key: Uint8Array, value: Uint8Array | null) => void): void {
    const c = this.cursor();
    for (let e: Entry | null = c.first(); e; e = c.next()) fn(e[0], e[1]);
  }

  bucket(name: Uint8Array): Bucket | null {
    const nk = byteKey(name);
    const cached = this.buckets.get(nk);
    if (cached) return cached;
    const c = this.cursor();
    c.seekRaw(name);
    const e = c.rawEntry();
    if (!e || !equalBytes(e.key, name) || !(e.flags & BUCKET_LEAF_FLAG)) return null;
    const child = Bucket.open(this.tx, e.value, [...this.path, name.slice()]);
    if (this.tx.writable) this.buckets.set(nk, child);
    return child;
  }

  createBucket(name: Uint8Array): Bucket {
    this.tx.assertWritable();
    if (name.length === 0) throw new BucketNameRequiredError();
    if (name.length > MAX_KEY_SIZE) throw new KeyTooLargeError();
    const c = this.cursor();
    c.seekRaw(name);
    const e = c.rawEntry();
    if (e && equalBytes(e.key, name)) {
      if (e.flags & BUCKET_LEAF_FLAG) throw new BucketExistsError();
      throw new IncompatibleValueError();
    }
    // An empty inline bucket: header {0, 0} followed by an empty leaf page.
    const empty = new Node(true, null);
    const value = new Uint8Array(BUCKET_HEADER_SIZE + empty.size());
    empty.write(value, BUCKET_HEADER_SIZE, 0, 0);
    const k = name.slice();
    c.node().put(k, k, value, 0, BUCKET_LEAF_FLAG);
    // A bucket with children can no longer be read from its inline page.
    this.page = null;
    return this.bucket(name)!;
  }

  createBucketIfNotExists(name: Uint8Array): Bucket {
    const b = this.bucket(name);
    if (b) return b;
    return this.createBucket(name);
  }

  deleteBucket(name: Uint8Array): void {
    this.tx.assertWritable();
    const c = this.cursor();
    c.seekRaw(name);
    const e = c.rawEntry();
    if (!e || !equalBytes(e.key, name)) throw new BucketNotFoundError();
    if (!(e.flags & BUCKET_LEAF_FLAG)) throw new IncompatibleValueError();
    const child = this.bucket(name)!;
    const subs: Uint8Array[] = [];
    child.forEach((k, v) => {
      if (v === null) subs.push(k.slice());
    });
    for (const k of subs) child.deleteBucket(k);
    this.buckets.delete(byteKey(name));
    child.nodes.clear();
    child.rootNode = null;
    child.freePages();
    c.node().del(name);
  }

  nextSequence(): bigint {
    this.tx.assertWritable();
    this.materializeRoot();
    this.sequence += 1n;
    return this.sequence;
  }

  setSequence(v: bigint): void {
    this.tx.assertWritable();
    this.materializeRoot();
    this.sequence = v;
  }

  // ---- tree internals ----

  private materializeRoot(): void {
    if (!this.rootNode) this.node(this.root, null);
  }

  /** The materialized node for pgid if any, else the page. */
  pageNode(pgid: number): PageRef | Node {
    if (this.root === 0) {
      if (pgid !== 0) throw new Error(`inline bucket non-zero page access: ${pgid}`);
      return this.rootNode ?? this.page!;
    }
    return this.nodes.get(pgid) ?? this.tx.treePage(pgid);
  }

  /** Materializes (or returns the cached) node for pgid under parent. */
  node(pgid: number, parent: Node | null): Node {
    const cached = this.nodes.get(pgid);
    if (cached) return cached;
    const p = this.root === 0 ? this.page! : this.tx.treePage(pgid);
    const n = Node.fromPage(p, parent);
    n.pgid = this.root === 0 ? 0 : pgid;
    if (parent) parent.children.push(n);
    else this.rootNode = n;
    this.nodes.set(pgid, n);
    return n;
  }

  childAt(n: Node, index: number): Node {
    if (n.isLeaf) throw new Error("childAt on a leaf node");
    return this.node(n.inodes[index].pgid, n);
  }

  /** True when the bucket can be stored inline in its parent's leaf. */
  inlineable(): boolean {
    const n = this.rootNode;
    if (!n || !n.isLeaf) return false;
    let size = PAGE_HEADER_SIZE;
    for (const ino of n.inodes) {
      size += ELEMENT_SIZE + ino.key.length + ino.value.length;
      if (ino.flags & BUCKET_LEAF_FLAG) return false;
      if (size > this.tx.db.pageSize / 4) return false;
    }
    return true;
  }

  /** The bucket value for an inline bucket: header then the root node as a page. */
  inlineValue(): Uint8Array {
    const n = this.rootNode!;
    const value = this.headerValue(n.size());
    n.write(value, BUCKET_HEADER_SIZE, 0, 0);
    return value;
  }

  /** The bucket header {root, sequence}, with `extra` zeroed bytes after it. */
  headerValue(extra = 0): Uint8Array {
    const value = new Uint8Array(BUCKET_HEADER_SIZE + extra);
    const v = new DataView(value.buffer);
    setU64(v, 0, this.root);
    v.setBigUint64(8, this.sequence, true);
    return value;
  }

  /**
   * Frees every page of this bucket and makes it inline. The walk follows materialized nodes where there
   * are any, so pages this transaction already freed (merged nodes) are not freed twice.
   */
  freePages(): void {
    if (this.root === 0) return;
    const walk = (pgid: number): void => {
      const pn = this.pageNode(pgid);
      if (pn instanceof PageRef) {
        this.tx.freePage(pn.id, pn.overflow);
        if (pn.isBranch) for (let i = 0; i < pn.count; i++) walk(pn.childPgid(i));
      } else {
        this.freeNode(pn);
        if (!pn.isLeaf) for (const ino of pn.inodes) walk(ino.pgid);
      }
    };
    walk(this.root);
    this.root = 0;
  }

  /** Merges under-filled nodes (those that lost keys in this transaction), then children buckets. */
  rebalance(): void {
    for (const n of [...this.nodes.values()]) {
      // Skip nodes merged away earlier in this loop.
      if (this.nodes.get(n.pgid) === n) this.rebalanceNode(n);
    }
    for (const child of this.buckets.values()) child.rebalance();
  }

  private rebalanceNode(n: Node): void {
    if (!n.unbalanced) return;
    n.unbalanced = false;
    const threshold = this.tx.db.pageSize / 4;
    if (n.size() > threshold && n.inodes.length > n.minKeys()) return;
    const parent = n.parent;
    if (!parent) {
      // Collapse a root branch with a single child.
      if (!n.isLeaf && n.inodes.length === 1) {
        const child = this.node(n.inodes[0].pgid, n);
        n.isLeaf = child.isLeaf;
        n.inodes = child.inodes;
        n.children = child.children;
        for (const ino of n.inodes) {
          const c = this.nodes.get(ino.pgid);
          if (c) c.parent = n;
        }
        child.parent = null;
        this.nodes.delete(child.pgid);
        this.freeNode(child);
      }
      return;
    }
    if (n.inodes.length === 0) {
      parent.del(n.key!);
      parent.removeChild(n);
      this.nodes.delete(n.pgid);
      this.freeNode(n);
      this.rebalanceNode(parent);
      return;
    }
    const idx = parent.childIndex(n);
    const useNext = idx === 0;
    const target = this.childAt(parent, useNext ? idx + 1 : idx - 1);
    const [keep, drop] = useNext ? [n, target] : [target, n];
    for (const ino of drop.inodes) {
      const c = this.nodes.get(ino.pgid);
      if (c && !drop.isLeaf) {
        c.parent!.removeChild(c);
        c.parent = keep;
        keep.children.push(c);
      }
    }
    keep.inodes = keep.inodes.concat(drop.inodes);
    parent.del(drop.key!);
    parent.removeChild(drop);
    this.nodes.delete(drop.pgid);
    this.freeNode(drop);
    this.rebalanceNode(parent);
  }

  freeNode(n: Node): void {
    if (n.pgid !== 0 && this.root !== 0) {
      this.tx.freePage(n.pgid, this.tx.page(n.pgid).overflow);
      n.pgid = 0;
    }
  }

  /** Writes every modified node of this bucket and its children to new pages. */
  spill(): void {
    for (const child of this.buckets.values()) {
      let value: Uint8Array;
      if (child.inlineable()) {
        child.freePages();
        value = child.inlineValue();
      } else {
        child.spill();
        value = child.headerValue();
      }
      if (!child.rootNode) continue;
      const name = child.path[child.path.length - 1];
      const c = this.cursor();
      c.seekRaw(name);
      const e = c.rawEntry();
      if (!e || !equalBytes(e.key, name) || !(e.flags & BUCKET_LEAF_FLAG)) {
        throw new Error(`misplaced bucket header: ${byteKey(name)}`);
      }
      c.node().put(name, name, value, 0, BUCKET_LEAF_FLAG);
    }
    if (!this.rootNode) return;
    this.spillNode(this.rootNode);
    this.rootNode = this.rootNode.root();
    if (this.rootNode.pgid >= this.tx.meta.pgid) throw new Error(`pgid (${this.rootNode.pgid}) above high water mark`);
    this.root = this.rootNode.pgid;
  }

  private spillNode(n: Node): void {
    if (n.spilled) return;
    n.children.sort((a, b) => compareFirstKeys(a, b));
    for (const child of n.children) this.spillNode(child);
    n.children = [];
    const pageSize = this.tx.db.pageSize;
    for (const node of n.split(pageSize, this.fillPercent)) {
      if (node.pgid > 0) {
        this.freeNode(node);
      }
      const size = node.size();
      const { pgid, buf } = this.tx.allocate(Math.ceil(size / pageSize));
      node.pgid = pgid;
      node.write(buf, 0, pgid, buf.length / pageSize - 1);
      node.spilled = true;
      if (node.parent) {
        const key = node.key ?? node.inodes[0].key;
        node.parent.put(key, node.inodes[0].key, new Uint8Array(0), node.pgid, 0);
        node.key = node.inodes[0].key;
      }
    }
    if (n.parent && n.parent.pgid === 0) {
      n.children = [];
      this.spillNode(n.parent);
    }
  }
}

/** In a branch: the child to follow for a key whose lower bound is idx (the last child with key <= key). */
function branchIndex(idx: number, count: number, exact: boolean): number {
  if (!exact && idx > 0) idx--;
  return idx >= count ? count - 1 : idx;
}

const EMPTY = new Uint8Array(0);
function compareFirstKeys(a: Node, b: Node): number {
  return compareBytes(a.inodes[0]?.key ?? EMPTY, b.inodes[0]?.key ?? EMPTY);
}
