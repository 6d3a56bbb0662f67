// treeIndex: the in-memory index from user key to KeyIndex (etcd 3.4 mvcc/index.go), on an OrderedTree.
// Range ends follow the client API: an undefined or empty `end` means the single key `key`; end = [0x00]
// means every key ≥ key (etcd's server maps that to an empty end before mvcc; here the index does it);
// otherwise [key, end). Reads at atRev see the last revision ≤ atRev of keys live at atRev.
// Invariants: every KeyIndex in the tree is non-empty except transiently inside compact(); a key's bytes are
// copied once when the key is first inserted, so callers may reuse their buffers.

import { KeyIndex, type KeyIndexGet } from "./key_index.ts";
import { compareBytes } from "../bytes/compare.ts";
import { OrderedTree } from "./ordered_tree.ts";
import { RevisionNotFoundError } from "./errors.ts";
import { compareRevision, type Revision } from "./revision.ts";
import { RevisionSet } from "./revision_set.ts";
import { copyBytes } from "../bytes/copy.ts";

export interface RangeResult {
  /** Keys live at atRev, in key order, at most `limit` of them. */
  keys: Uint8Array[];
  /** The visible revision of each key in `keys`. */
  revs: Revision[];
  /** Number of keys live at atRev in the whole range, ignoring the limit (RangeResponse.count). */
  total: number;
}

/** True when the range is the single key (end undefined or empty). */
export function isSingleKeyRange(end: Uint8Array | undefined): end is undefined {
  return end === undefined || end.length === 0;
}

/** True when end is [0x00]: every key ≥ the start key. */
export function isOpenEndedRange(end: Uint8Array): boolean {
  return end.length === 1 && end[0] === 0;
}

export class TreeIndex {
  private readonly tree = new OrderedTree<KeyIndex>();

  /** Number of keys with a KeyIndex (live or with history not yet compacted away). */
  get size(): number {
    return this.tree.size;
  }

  /** Records a put of key at rev (etcd treeIndex.Put). */
  put(key: Uint8Array, rev: Revision): void {
    this.tree.upsert(key, () => new KeyIndex(copyBytes(key))).put(rev.main, rev.sub);
  }

  /**
   * A write's Get-then-Put in one tree walk: the key's state at rev.main before the put (undefined when it has
   * none, as get()), then records the put. The put path of every write transaction.
   */
  getAndPut(key: Uint8Array, rev: Revision): KeyIndexGet | undefined {
    // An overwrite (the common case) is one hash probe and no closure; only a new key pays for upsert.
    const ki = this.tree.get(key) ?? this.tree.upsert(key, () => new KeyIndex(copyBytes(key)));
    const prev = ki.isEmpty() ? undefined : ki.get(rev.main);
    ki.put(rev.main, rev.sub);
    return prev;
  }

  /** Records a delete of key at rev; throws RevisionNotFoundError if the key is not live (etcd Tombstone). */
  tombstone(key: Uint8Array, rev: Revision): void {
    const ki = this.tree.get(key);
    if (ki === undefined) throw new RevisionNotFoundError();
    ki.tombstone(rev.main, rev.sub);
  }

  /** The key's state at atRev, or undefined where etcd returns ErrRevisionNotFound. */
  get(key: Uint8Array, atRev: number): KeyIndexGet | undefined {
    return this.tree.get(key)?.get(atRev);
  }

  /** The KeyIndex of key, if any (etcd treeIndex.KeyIndex). */
  keyIndex(key: Uint8Array): KeyIndex | undefined {
    return this.tree.get(key);
  }

  /** Calls visit for each KeyIndex in the range, in key order, until it returns false. */
  private visit(key: Uint8Array, end: Uint8Array | undefined, visit: (ki: KeyIndex) => boolean | void): void {
    if (isSingleKeyRange(end)) {
      const ki = this.tree.get(key);
      if (ki !== undefined) visit(ki);
      return;
    }
    if (isOpenEndedRange(end)) {
      this.tree.ascend(key, visit);
      return;
    }
    this.tree.ascend(key, (ki) => compareBytes(ki.key, end) < 0 && visit(ki) !== false);
  }

  /** Keys live at atRev in the range and their visible revisions (etcd Range), at most limit (0 = all). */
  range(key: Uint8Array, end: Uint8Array | undefined, atRev: number, limit = 0): RangeResult {
    const keys: Uint8Array[] = [];
    const revs: Revision[] = [];
    let total = 0;
    this.visit(key, end, (ki) => {
      if (limit > 0 && total >= limit) {
        if (ki.existsAt(atRev)) total++;
        return;
      }
      const rev = ki.revisionAt(atRev);
      if (rev === undefined) return;
      total++;
      keys.push(ki.key);
      revs.push(rev);
    });
    return { keys, revs, total };
  }

  /** Number of keys live at atRev in the range (etcd 3.5 CountRevisions). */
  countRevisions(key: Uint8Array, end: Uint8Array | undefined, atRev: number): number {
    let n = 0;
    this.visit(key, end, (ki) => {
      if (ki.existsAt(atRev)) n++;
    });
    return n;
  }

  /**
   * Every revision with main ≥ rev of the keys in the range, sorted by revision (etcd RangeSince, used by
   * watch catch-up). Per key, of several revisions sharing a main only the largest sub is returned.
   */
  rangeSince(key: Uint8Array, end: Uint8Array | undefined, rev: number): Revision[] {
    const out: Revision[] = [];
    this.visit(key, end, (ki) => {
      ki.since(rev, out);
    });
    if (!isSingleKeyRange(end)) out.sort(compareRevision);
    return out;
  }

  /**
   * Compacts every key at rev, drops keys left empty, and returns the revisions the backend must keep
   * (etcd treeIndex.Compact). Runs synchronously, so no write interleaves with it.
   */
  compact(rev: number): RevisionSet {
    const available = new RevisionSet();
    this.tree.retain((ki) => {
      ki.compact(rev, available);
      return !ki.isEmpty();
    });
    return available;
  }

  /** The revisions compact(rev) would keep, without compacting (etcd treeIndex.Keep, for hash checks). */
  keep(rev: number): RevisionSet {
    const available = new RevisionSet();
    this.tree.ascend(undefined, (ki) => {
      ki.keep(rev, available);
    });
    return available;
  }

  /** Visits every KeyIndex in key order (for restore checks, equality and debugging). */
  forEach(visit: (ki: KeyIndex) => boolean | void): void {
    this.tree.ascend(undefined, visit);
  }

  /** The KeyIndex of key, inserting create() (a KeyIndex of that key) when there is none. */
  keyIndexOrInsert(key: Uint8Array, create: () => KeyIndex): KeyIndex {
    return this.tree.upsert(key, create);
  }

  /** Runs fn, a bulk of inserts (the rebuild at open), with exact lookups by tree descent (OrderedTree.bulk). */
  bulk<R>(fn: () => R): R {
    return this.tree.bulk(fn);
  }

  /** Replaces the contents with these KeyIndexes, which must be sorted by key and distinct (bulk restore). */
  load(sorted: readonly KeyIndex[]): void {
    this.tree.buildFrom(sorted);
  }
}
