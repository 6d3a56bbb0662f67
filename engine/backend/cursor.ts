// A cursor walks one bucket's B+tree in key order. Its stack holds one reference per level, root first;
// each level reads from the transaction's modified node when there is one, else straight from the page.
// Entries that are nested buckets are returned with value null.
// After delete(), next() returns the entry that followed the deleted one and prev() the one before it.
import { equalBytes } from "../bytes/compare.ts";
import { BUCKET_LEAF_FLAG } from "./layout.ts";
import { IncompatibleValueError } from "./errors.ts";
import type { Node } from "./node.ts";
import { PageRef } from "./page.ts";
import type { Bucket } from "./bucket.ts";

interface ElemRef {
  page: PageRef | null;
  node: Node | null;
  index: number;
}

/** No sound tree of 2^16-element pages is this deep; deeper means a cycle in a damaged file. */
const MAX_DEPTH = 64;

export type Entry = [key: Uint8Array, value: Uint8Array | null];

function refCount(r: ElemRef): number {
  return r.node ? r.node.inodes.length : r.page!.count;
}
function refIsLeaf(r: ElemRef): boolean {
  return r.node ? r.node.isLeaf : r.page!.isLeaf;
}

export class Cursor {
  private stack: ElemRef[] = [];
  /** Set by delete(): the leaf ref's index already points at the following entry. */
  private afterDelete = false;

  constructor(readonly bucket: Bucket) {}

  first(): Entry | null {
    this.bucket.tx.assertOpen();
    this.afterDelete = false;
    this.stack.length = 0;
    this.pushRoot();
    this.descendFirst();
    if (refCount(this.top()) === 0) return this.moveNext();
    return this.entry();
  }

  last(): Entry | null {
    this.bucket.tx.assertOpen();
    this.afterDelete = false;
    this.stack.length = 0;
    this.pushRoot();
    const root = this.top();
    root.index = refCount(root) - 1;
    this.descendLast();
    // Deletes in this transaction can leave an empty leaf until commit rebalances it.
    if (refCount(this.top()) === 0) return this.prev();
    return this.entry();
  }

  /** Moves to the first key >= key. */
  seek(key: Uint8Array): Entry | null {
    this.bucket.tx.assertOpen();
    this.afterDelete = false;
    this.seekRaw(key);
    const t = this.top();
    if (t.index >= refCount(t)) return this.moveNext();
    return this.entry();
  }

  next(): Entry | null {
    this.bucket.tx.assertOpen();
    if (this.afterDelete) {
      this.afterDelete = false;
      const t = this.top();
      if (t.index < refCount(t)) return this.entry();
      t.index = refCount(t) - 1;
    }
    return this.moveNext();
  }

  prev(): Entry | null {
    this.bucket.tx.assertOpen();
    this.afterDelete = false;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const r = this.stack[i];
      if (r.index > 0) {
        r.index--;
        break;
      }
      this.stack.length = i;
    }
    if (this.stack.length === 0) return null;
    this.descendLast();
    const t = this.top();
    if (refCount(t) === 0) return this.prev();
    return this.entry();
  }

  /** Deletes the entry under the cursor. Nested buckets must be removed with deleteBucket. */
  delete(): void {
    const tx = this.bucket.tx;
    tx.assertWritable();
    const cur = this.rawEntry();
    if (!cur) return;
    if (cur.flags & BUCKET_LEAF_FLAG) throw new IncompatibleValueError();
    const n = this.node();
    const idx = n.lowerBound(cur.key);
    n.del(cur.key);
    const t = this.top();
    t.node = n;
    t.page = null;
    t.index = idx;
    this.afterDelete = true;
  }

  // ---- internals used by Bucket ----

  /** Positions the stack at the first key >= key without moving past the leaf's end. */
  seekRaw(key: Uint8Array): void {
    this.stack.length = 0;
    let pgid = this.bucket.root;
    for (;;) {
      const ref = this.ref(pgid);
      this.stack.push(ref);
      const { page, node } = ref;
      if (refIsLeaf(ref)) {
        ref.index = node ? node.lowerBound(key) : page!.lowerBound(key);
        return;
      }
      // Branch: the last child whose key <= key.
      let idx: number;
      if (node) {
        idx = node.lowerBound(key);
        if (!(idx < node.inodes.length && equalBytes(node.inodes[idx].key, key)) && idx > 0) idx--;
        if (idx >= node.inodes.length) idx = node.inodes.length - 1;
        pgid = node.inodes[idx].pgid;
      } else {
        const p = page!;
        idx = p.lowerBound(key);
        if (!(idx < p.count && p.compareKey(idx, key) === 0) && idx > 0) idx--;
        if (idx >= p.count) idx = p.count - 1;
        pgid = p.childPgid(idx);
      }
      ref.index = idx;
    }
  }

  /** The raw entry under the cursor, including flags, or null past the end. */
  rawEntry(): { key: Uint8Array; value: Uint8Array; flags: number } | null {
    const t = this.top();
    if (!t || t.index >= refCount(t) || refCount(t) === 0) return null;
    if (t.node) {
      const ino = t.node.inodes[t.index];
      return { key: ino.key, value: ino.value, flags: ino.flags };
    }
    const p = t.page!;
    return { key: p.key(t.index), value: p.value(t.index), flags: p.leafFlags(t.index) };
  }

  /** Materializes the nodes along the current path and returns the leaf node. */
  node(): Node {
    const t = this.top();
    if (t.node && t.node.isLeaf) return t.node;
    let n = this.stack[0].node ?? this.bucket.node(this.stack[0].page!.id, null);
    for (let i = 0; i < this.stack.length - 1; i++) n = this.bucket.childAt(n, this.stack[i].index);
    return n;
  }

  private top(): ElemRef {
    return this.stack[this.stack.length - 1];
  }

  private ref(pgid: number): ElemRef {
    if (this.stack.length >= MAX_DEPTH) {
      throw this.bucket.tx.db.corrupt(`tree deeper than ${MAX_DEPTH} levels at page ${pgid} (a cycle?)`, pgid * this.bucket.tx.db.pageSize);
    }
    const pn = this.bucket.pageNode(pgid);
    return pn instanceof PageRef ? { page: pn, node: null, index: 0 } : { page: null, node: pn, index: 0 };
  }

  private pushRoot(): void {
    this.stack.push(this.ref(this.bucket.root));
  }

  private childPgid(r: ElemRef): number {
    return r.node ? r.node.inodes[r.index].pgid : r.page!.childPgid(r.index);
  }

  private descendFirst(): void {
    for (;;) {
      const r = this.top();
      if (refIsLeaf(r)) return;
      this.stack.push(this.ref(this.childPgid(r)));
    }
  }

  private descendLast(): void {
    for (;;) {
      const r = this.top();
      if (refIsLeaf(r)) return;
      const ref = this.ref(this.childPgid(r));
      ref.index = refCount(ref) - 1;
      this.stack.push(ref);
    }
  }

  private moveNext(): Entry | null {
    // Fast path: the next entry is in the same leaf.
    const t = this.top();
    if (t && t.index < refCount(t) - 1) {
      t.index++;
      return this.entry();
    }
    for (;;) {
      let i: number;
      for (i = this.stack.length - 1; i >= 0; i--) {
        const r = this.stack[i];
        if (r.index < refCount(r) - 1) {
          r.index++;
          break;
        }
      }
      if (i === -1) {
        // Leave the cursor past the last element.
        const t = this.top();
        if (t) t.index = refCount(t);
        return null;
      }
      this.stack.length = i + 1;
      this.descendFirst();
      if (refCount(this.top()) === 0) continue;
      return this.entry();
    }
  }

  private entry(): Entry | null {
    const t = this.top();
    if (!t || t.index >= refCount(t)) return null;
    if (t.node) {
      const ino = t.node.inodes[t.index];
      return [ino.key, ino.flags & BUCKET_LEAF_FLAG ? null : ino.value];
    }
    const p = t.page!;
    return [p.key(t.index), p.leafFlags(t.index) & BUCKET_LEAF_FLAG ? null : p.value(t.index)];
  }
}
