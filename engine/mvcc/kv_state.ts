// KvState: what every view and transaction of the store shares: the treeIndex, the batched backend tx, the
// current and compacted revisions, the lessor binding. And rangeKeys, etcd's storeTxnRead.rangeKeys
// (mvcc/kvstore_txn.go): revision checks, index lookup, then one backend get per returned key.
// Invariants: currentRev is the revision of the last completed write txn (1 for an empty store, so the first
// write is revision 2); compactMainRev is -1 until the first compaction; every revision the index returns
// for a readable revision has its KeyValue in the `key` bucket.

import type { BatchTx } from "./batch_tx.ts";
import { CompactedError, FutureRevisionError } from "./errors.ts";
import { decodeKeyValue, type KeyValue } from "./key_value.ts";
import type { LeaseBinding } from "./requests.ts";
import { REV_BYTES_LEN, type Revision, writeRevBytes } from "./revision.ts";
import { KEY_BUCKET } from "./schema.ts";
import { TreeIndex } from "./tree_index.ts";

export interface RangeOptions {
  /** At most this many KeyValues (0 = all); count still covers the whole range. */
  limit?: number;
  /** Read at this revision (≤ 0 = the view's revision). */
  rev?: number;
  /** Count only, return no KeyValues. */
  count?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  count: number;
  /** The view's revision (etcd RangeResult.Rev), not the requested one. */
  rev: number;
}

/** A consistent read view: a read at the current revision, or a write txn seeing its own changes. */
export interface KvView {
  /** The revision this view reads by default (etcd TxnRead.Rev()). */
  readonly rev: number;
  /** The compaction revision when the view began (etcd FirstRev()); 0 for write txns. */
  readonly firstRev: number;
  range(key: Uint8Array, end: Uint8Array | undefined, ro?: RangeOptions): RangeResult;
}

export class KvState {
  readonly index = new TreeIndex();
  currentRev = 1;
  compactMainRev = -1;
  private readonly revKey = new Uint8Array(REV_BYTES_LEN);

  constructor(
    readonly batch: BatchTx,
    readonly leases: LeaseBinding | undefined,
  ) {}

  /** The KeyValue stored at rev, copied out of the backend (it outlives the backend tx). */
  readKeyValue(rev: Revision): KeyValue {
    writeRevBytes(rev, this.revKey);
    const stored = this.batch.get(KEY_BUCKET, this.revKey);
    if (stored === null) throw new Error(`mvcc: range cannot find revision ${rev.main}.${rev.sub} in the key bucket`);
    return decodeKeyValue(stored.slice());
  }

  /** etcd rangeKeys: keys of [key, end) live at ro.rev (or curRev). */
  rangeKeys(key: Uint8Array, end: Uint8Array | undefined, curRev: number, ro: RangeOptions = {}): RangeResult {
    let rev = ro.rev ?? 0;
    if (rev > curRev) throw new FutureRevisionError();
    if (rev <= 0) rev = curRev;
    if (rev < this.compactMainRev) throw new CompactedError();
    if (ro.count) return { kvs: [], count: this.index.countRevisions(key, end, rev), rev: curRev };
    const found = this.index.range(key, end, rev, ro.limit !== undefined && ro.limit > 0 ? ro.limit : 0);
    const kvs = found.revs.map((r) => this.readKeyValue(r));
    return { kvs, count: found.total, rev: curRev };
  }

  /** A read view at the current revision (etcd store.Read). */
  readView(): KvView {
    const rev = this.currentRev;
    return { rev, firstRev: this.compactMainRev, range: (key, end, ro) => this.rangeKeys(key, end, rev, ro) };
  }
}
