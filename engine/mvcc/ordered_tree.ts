// OrderedTree: an in-memory B+tree of items ordered by their `key` bytes (unsigned lexicographic, like Go's
// bytes.Compare), the structure under treeIndex (etcd uses google/btree of degree 32).
// Invariants: leaves hold 1..MAX items sorted by key (the root leaf may be empty) and are chained left to
// right through `next`; an inner node's keys[i] (i ≥ 1) is ≤ every key under children[i] and > every key
// under children[i-1]; keys[0] is unused. Keys are unique. There is no single-item delete: the only
// removal etcd needs is compaction, which rebuilds the tree from its survivors in O(n) (retain()). Exact-key
// lookups go to a hash table of the same items (key_table.ts), kept in step by upsert() and buildFrom().
import { compareBytes } from "../bytes/compare.ts";
import { KeyTable } from "./key_table.ts";

const MAX = 64;
const UNUSED_KEY = new Uint8Array(0); // keys[0] of inner nodes
/** Items per leaf when bulk-building: leaves are left ~7/8 full so the next inserts rarely split at once. */
const BULK_FILL = 56;

interface Keyed {
  readonly key: Uint8Array;
}

class Leaf<T extends Keyed> {
  readonly leaf = true;
  next: Leaf<T> | null = null;
  constructor(public items: T[]) {}
}

class Inner<T extends Keyed> {
  readonly leaf = false;
  constructor(
    public keys: Uint8Array[],
    public children: Node<T>[],
  ) {}
}

type Node<T extends Keyed> = Leaf<T> | Inner<T>;

/** Index of the child of `n` whose key range holds key. */
function childFor<T extends Keyed>(n: Inner<T>, key: Uint8Array): number {
  let lo = 1;
  let hi = n.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(n.keys[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** First index in items whose key is ≥ key. */
function lowerBound<T extends Keyed>(items: T[], key: Uint8Array): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(items[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A split's result: the new right sibling and its smallest key. */
interface Split<T extends Keyed> {
  key: Uint8Array;
  node: Node<T>;
}

export class OrderedTree<T extends Keyed> {
  private root: Node<T> = new Leaf<T>([]);
  /** The same items by exact key, for get() and upsert()'s hit; null while bulk() builds the tree. */
  private exact: KeyTable<T> | null = new KeyTable<T>();
  private count = 0;
  /** The item found or created by the last upsert (scratch, avoids a result object per call). */
  private upserted: T | undefined;

  get size(): number {
    return this.count;
  }

  /** The item with this key, or undefined (a hash probe: key_table.ts; a descent inside bulk()). */
  get(key: Uint8Array): T | undefined {
    if (this.exact !== null) return this.exact.get(key);
    let n = this.root;
    while (!n.leaf) n = n.children[childFor(n, key)];
    const it = n.items[lowerBound(n.items, key)];
    return it !== undefined && compareBytes(it.key, key) === 0 ? it : undefined;
  }

  /** The item with this key; if absent, inserts create() (whose key must equal `key`) and returns it. */
  upsert(key: Uint8Array, create: () => T): T {
    const found = this.exact?.get(key);
    if (found !== undefined) return found;
    const split = this.insertInto(this.root, key, create);
    if (split !== null) this.root = new Inner<T>([UNUSED_KEY, split.key], [this.root, split.node]);
    return this.upserted as T;
  }

  private insertInto(n: Node<T>, key: Uint8Array, create: () => T): Split<T> | null {
    if (n.leaf) {
      const items = n.items;
      const i = lowerBound(items, key);
      if (i < items.length && compareBytes(items[i].key, key) === 0) {
        this.upserted = items[i];
        return null;
      }
      const item = create();
      this.upserted = item;
      this.count++;
      this.exact?.add(item);
      items.splice(i, 0, item);
      if (items.length <= MAX) return null;
      const right = new Leaf<T>(items.splice(MAX >>> 1));
      right.next = n.next;
      n.next = right;
      return { key: right.items[0].key, node: right };
    }
    const c = childFor(n, key);
    const split = this.insertInto(n.children[c], key, create);
    if (split === null) return null;
    n.keys.splice(c + 1, 0, split.key);
    n.children.splice(c + 1, 0, split.node);
    if (n.children.length <= MAX) return null;
    const half = MAX >>> 1;
    const right = new Inner<T>(n.keys.splice(half), n.children.splice(half));
    return { key: right.keys[0], node: right };
  }

  /**
   * Visits items in key order starting at the first key ≥ start (all items when start is undefined) until
   * visit returns false. The tree must not be modified during the visit.
   */
  ascend(start: Uint8Array | undefined, visit: (item: T) => boolean | void): void {
    let n = this.root;
    if (start === undefined) {
      while (!n.leaf) n = n.children[0];
    } else {
      while (!n.leaf) n = n.children[childFor(n, start)];
    }
    let leaf: Leaf<T> | null = n;
    let i = start === undefined ? 0 : lowerBound(leaf.items, start);
    while (leaf !== null) {
      const items = leaf.items;
      for (; i < items.length; i++) if (visit(items[i]) === false) return;
      leaf = leaf.next;
      i = 0;
    }
  }

  /** Replaces the contents with `items`, which must be sorted by key with no duplicates. O(n). */
  buildFrom(items: readonly T[]): void {
    this.count = items.length;
    this.exact?.reset(items);
    const leaves: Leaf<T>[] = [];
    for (let i = 0; i < items.length; i += BULK_FILL) leaves.push(new Leaf<T>(items.slice(i, i + BULK_FILL)));
    if (leaves.length === 0) leaves.push(new Leaf<T>([]));
    for (let i = 1; i < leaves.length; i++) leaves[i - 1].next = leaves[i];
    let level: Node<T>[] = leaves;
    let firstKeys: Uint8Array[] = leaves.map((l) => (l.items.length > 0 ? l.items[0].key : UNUSED_KEY));
    while (level.length > 1) {
      const up: Node<T>[] = [];
      const upKeys: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += BULK_FILL) {
        up.push(new Inner<T>(firstKeys.slice(i, i + BULK_FILL), level.slice(i, i + BULK_FILL)));
        upKeys.push(firstKeys[i]);
      }
      level = up;
      firstKeys = upKeys;
    }
    this.root = level[0];
  }

  /**
   * Runs fn (many inserts, e.g. an index rebuild at open) with the hash table off, lookups descending the tree,
   * and builds the table once at the end: growing it key by key costs more than the tree inserts gain from it.
   */
  bulk<R>(fn: () => R): R {
    if (this.exact === null) return fn();
    this.exact = null;
    try {
      return fn();
    } finally {
      const items: T[] = [];
      this.ascend(undefined, (it) => void items.push(it));
      const table = new KeyTable<T>();
      table.reset(items);
      this.exact = table;
    }
  }

  /** Keeps only the items for which keep(item) is true (it may mutate the item), in one O(n) pass. */
  retain(keep: (item: T) => boolean): void {
    const survivors: T[] = [];
    this.ascend(undefined, (item) => {
      if (keep(item)) survivors.push(item);
    });
    this.buildFrom(survivors);
  }
}
