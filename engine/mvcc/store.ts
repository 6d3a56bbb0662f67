// MvccStore: the public MVCC key-value store over a bbolt-format file with etcd 3.4's schema (etcd
// mvcc.watchableStore + the KV half of etcdserver's applierV3backend). The server's apply loop calls the
// write methods serially, once per committed Raft entry, passing the entry's {index, term}: the store
// records them and writes consistent_index/term in the same backend commit as the entry's changes. Reads
// (range, hashKV, watch catch-up) see every applied write, committed to the file or not.
// Invariants: writes are synchronous; a commit happens only between entries (batch timer, batch limit
// reached at the end of an entry, compaction, hash, commit(), close()); the revision moves only when a
// write txn changed something.

import { renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { compact } from "../backend/compact.ts";
import { DB, syncDir } from "../backend/db.ts";
import { type BatchOptions, BatchTx } from "./batch_tx.ts";
import { type CompactionOptions, Compactor } from "./compactor.ts";
import { CompactedError, FutureRevisionError, leaseNotFound, StoreClosedError } from "./errors.ts";
import { hashBackend, hashKVAt } from "./hash.ts";
import type { KeyValue } from "./key_value.ts";
import { applyDeleteRange, applyPut, applyTxn } from "./kv_apply.ts";
import { KvState } from "./kv_state.ts";
import { applyRange } from "./range_apply.ts";
import type {
  AppliedEntry,
  CompactionResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  HashKVResponse,
  HashResponse,
  LeaseBinding,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
} from "./requests.ts";
import { restoreState } from "./restore.ts";
import { revToBytes } from "./revision.ts";
import { CONSISTENT_INDEX_KEY, encodeUint64, KEY_BUCKET, KEY_BUCKET_FILL_PERCENT, META_BUCKET, SCHEDULED_COMPACT_KEY, TERM_KEY } from "./schema.ts";
import { checkTxnDuplicates } from "./txn_check.ts";
import { Watchable, type WatchableOptions } from "./watchable.ts";
import { WatchStream } from "./watch_stream.ts";
import { WriteTxn } from "./write_txn.ts";
import { byteKeyBytes } from "../bytes/compare.ts";

export interface StoreOptions {
  /** Commit interval and size (etcd defaults 100 ms, 10,000 writes). */
  batch?: BatchOptions;
  /** Physical compaction batch size and pause (etcd defaults 1000 keys, 10 ms). */
  compaction?: CompactionOptions;
  watch?: WatchableOptions;
  /** The lessor; without one, lease IDs are stored unchecked. */
  leases?: LeaseBinding;
  /** Skip fdatasync (tests and benchmarks only). */
  noSync?: boolean;
}

export class MvccStore {
  private readonly s: KvState;
  private readonly watchable: Watchable;
  private readonly compactor: Compactor;
  private applied: AppliedEntry;
  private appliedDirty = false;
  private closed = false;
  /** The compaction resumed on open (scheduledCompactRev newer than finishedCompactRev), if any. */
  readonly resumedCompaction: Promise<void> | undefined;

  private constructor(
    db: DB,
    private readonly opts: StoreOptions,
  ) {
    const batch = new BatchTx(db, opts.batch);
    batch.createBucket(KEY_BUCKET);
    batch.createBucket(META_BUCKET);
    batch.commit();
    this.s = new KvState(batch, opts.leases);
    const meta = restoreState(this.s);
    this.applied = { index: meta.consistentIndex, term: meta.term };
    for (const [key, id] of meta.keyLeases) {
      try {
        opts.leases?.attach(id, byteKeyBytes(key));
      } catch {
        // etcd logs "failed to attach a lease" and goes on
      }
    }
    batch.onPreCommit((b) => this.saveApplied(b));
    this.watchable = new Watchable(this.s, opts.watch);
    this.compactor = new Compactor(batch, opts.compaction);
    if (meta.scheduledCompact !== 0) this.resumedCompaction = this.startCompaction(meta.scheduledCompact);
  }

  /** Opens (creating if needed) the data file at path and rebuilds the index from it. */
  static open(path: string, opts: StoreOptions = {}): MvccStore {
    const db = DB.open(path, { noSync: opts.noSync, fillPercent: { key: KEY_BUCKET_FILL_PERCENT } });
    try {
      return new MvccStore(db, opts);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** The backend file (replaced by defragment()). */
  get db(): DB {
    return this.s.batch.db;
  }

  /**
   * Defragmentation, etcd's way: commit, copy every bucket's live data into a fresh file (the `key` bucket
   * packed to 90 %), then swap it in. Reads and writes wait (this is synchronous); nothing is lost: the copy
   * holds exactly the committed state, and the old file is replaced only after the copy is durable.
   */
  defragment(): { before: number; after: number } {
    this.assertOpen();
    const old = this.db;
    const before = old.size;
    this.s.batch.commit();
    const path = old.path;
    const tmp = `${path}.defrag`;
    rmSync(tmp, { force: true });
    const copy = DB.open(tmp, { noSync: this.opts.noSync, fillPercent: { key: KEY_BUCKET_FILL_PERCENT } });
    compact(old, copy);
    copy.close();
    old.close();
    renameSync(tmp, path);
    syncDir(dirname(path));
    const fresh = DB.open(path, { noSync: this.opts.noSync, fillPercent: { key: KEY_BUCKET_FILL_PERCENT } });
    this.s.batch.swap(fresh);
    return { before, after: fresh.size };
  }

  /** The batched backend transaction, for the other modules' buckets (lease, auth, members, ...). */
  get backend(): BatchTx {
    return this.s.batch;
  }

  /** Revision of the last write txn that changed something (1 for an empty store). */
  get currentRevision(): number {
    return this.s.currentRev;
  }

  /** Revision of the last compaction, -1 if none. */
  get compactRevision(): number {
    return this.s.compactMainRev;
  }

  /** Index and term of the last applied entry: what the server skips up to on WAL replay. */
  consistentIndex(): AppliedEntry {
    return { ...this.applied };
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private saveApplied(b: BatchTx): void {
    if (!this.appliedDirty) return;
    this.appliedDirty = false;
    b.put(META_BUCKET, CONSISTENT_INDEX_KEY, encodeUint64(this.applied.index));
    if (this.applied.term !== 0) b.put(META_BUCKET, TERM_KEY, encodeUint64(this.applied.term));
  }

  /**
   * Runs fn as (part of) applying the entry: no commit happens inside; afterwards the entry is recorded as
   * applied (even if fn threw: a failed request is still an applied entry) and the batch may commit.
   */
  applyEntry<T>(entry: AppliedEntry | undefined, fn: () => T): T {
    this.assertOpen();
    try {
      return this.s.batch.holding(fn);
    } finally {
      if (entry !== undefined) {
        this.applied = { index: entry.index, term: entry.term };
        this.appliedDirty = true;
        this.s.batch.markDirty();
      }
      this.s.batch.maybeCommit();
    }
  }

  /** Records an entry that changed nothing in the KV store (lease grant, member change, no-op, ...). */
  markApplied(entry: AppliedEntry): void {
    this.applyEntry(entry, () => undefined);
  }

  /** Runs one write txn and notifies watchers of its changes. */
  private write<T>(entry: AppliedEntry | undefined, fn: (txn: WriteTxn) => T): T {
    return this.applyEntry(entry, () => {
      const txn = new WriteTxn(this.s);
      try {
        return fn(txn);
      } finally {
        this.published(txn.end());
      }
    });
  }

  private published(changes: KeyValue[]): void {
    if (changes.length > 0) this.watchable.notify(this.s.currentRev, changes);
  }

  range(req: RangeRequest): RangeResponse {
    this.assertOpen();
    return applyRange(this.s.readView(), req);
  }

  put(req: PutRequest, entry?: AppliedEntry): PutResponse {
    return this.applyEntry(entry, () => {
      const leases = this.s.leases;
      if (req.lease && leases !== undefined && !leases.exists(req.lease)) throw leaseNotFound();
      return this.write(undefined, (txn) => applyPut(txn, req));
    });
  }

  deleteRange(req: DeleteRangeRequest, entry?: AppliedEntry): DeleteRangeResponse {
    return this.write(entry, (txn) => applyDeleteRange(txn, req));
  }

  /** etcd Txn, including the duplicate-key check etcd's gRPC layer does before proposing. */
  txn(req: TxnRequest, entry?: AppliedEntry): TxnResponse {
    return this.applyEntry(entry, () => {
      checkTxnDuplicates(req);
      const { resp, changes } = applyTxn(this.s, req);
      this.published(changes);
      return resp;
    });
  }

  /**
   * etcd Compact: rejects compacted/future revisions, persists scheduledCompactRev (committed at once),
   * compacts the index, and schedules the backend deletion (`done`).
   */
  compact(rev: number, entry?: AppliedEntry): CompactionResponse {
    this.applyEntry(entry, () => {
      if (rev <= this.s.compactMainRev) throw new CompactedError();
      if (rev > this.s.currentRev) throw new FutureRevisionError();
    });
    return { header: { revision: this.s.currentRev }, done: this.startCompaction(rev) };
  }

  private startCompaction(rev: number): Promise<void> {
    this.s.compactMainRev = rev;
    this.s.batch.put(META_BUCKET, SCHEDULED_COMPACT_KEY, revToBytes({ main: rev, sub: 0 }));
    this.s.batch.commit();
    const keep = this.s.index.compact(rev);
    return this.compactor.schedule(rev, keep);
  }

  /** etcd Hash: commits, then CRC-32C of every bucket but consistent_index/term. */
  hash(): HashResponse {
    this.assertOpen();
    this.s.batch.commit();
    return { hash: hashBackend(this.db), revision: this.s.currentRev };
  }

  /** etcd HashByRev (HashKV RPC): rev 0 = current. */
  hashKV(rev = 0): HashKVResponse {
    this.assertOpen();
    const compactRevision = this.s.compactMainRev;
    const revision = this.s.currentRev;
    if (rev > 0 && rev <= compactRevision) throw new CompactedError();
    if (rev > revision) throw new FutureRevisionError();
    return { hash: hashKVAt(this.s, rev > 0 ? rev : revision), revision, compactRevision };
  }

  /** A stream of watchers sharing one bounded response queue (etcd NewWatchStream). */
  newWatchStream(capacity?: number): WatchStream {
    this.assertOpen();
    const prevKvOf = (key: Uint8Array, rev: number): KeyValue | undefined => {
      if (this.closed || rev < 1) return undefined;
      try {
        return this.s.rangeKeys(key, undefined, this.s.currentRev, { rev }).kvs[0];
      } catch {
        return undefined;
      }
    };
    return new WatchStream(this.watchable, prevKvOf, capacity);
  }

  /** Commits the batch now (before a snapshot, at shutdown). */
  commit(): void {
    this.assertOpen();
    this.s.batch.commit();
  }

  /** Stops compaction and watch loops, commits what is pending, closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.compactor.stop();
    this.watchable.close();
    this.s.batch.close();
    this.db.close();
  }
}
