// BatchTx: etcd's batched backend write transaction (mvcc/backend/batch_tx.go) over engine/backend's DB.
// One bbolt write transaction stays open and collects every write; it is committed every `interval` ms
// (when it holds anything) or as soon as `limit` writes are pending at a commit point, or on commit().
// Readers read through the same open transaction, which sees its own uncommitted writes: that is etcd's
// "write buffer that readers also see" (tx_buffer.go) without a second copy, since this runtime is
// single-threaded and no read can interleave with a half-done write.
// Invariants: at most one write tx is open; pre-commit hooks run inside the tx being committed (so
// consistent_index lands in the same commit as the changes it accounts for); while `hold` > 0 (an entry
// is being applied) the limit never triggers a commit, only maybeCommit() after the hold is released does.

import type { Bucket } from "../backend/bucket.ts";
import type { DB } from "../backend/db.ts";
import type { Tx } from "../backend/tx.ts";
import { byteKey } from "../bytes/compare.ts";

export interface BatchOptions {
  /** Commit period in ms (etcd --backend-batch-interval, default 100). 0 disables the timer. */
  interval?: number;
  /** Pending writes that force a commit at the next commit point (etcd --backend-batch-limit, default 10000). */
  limit?: number;
}

export const DEFAULT_BATCH_INTERVAL_MS = 100;
export const DEFAULT_BATCH_LIMIT = 10_000;

export class BatchTx {
  private tx: Tx | null = null;
  private readonly buckets = new Map<string, Bucket>();
  /** The same buckets by the name array a caller passed (cleared with `buckets`). */
  private bucketsByRef = new WeakMap<Uint8Array, Bucket>();
  private pendingWrites = 0;
  private dirty = false;
  private hold = 0;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private readonly preCommit: ((batch: BatchTx) => void)[] = [];
  readonly limit: number;
  /** Number of commits done (for tests and stats). */
  commits = 0;
  /** Told how long each commit took, in seconds (etcd_disk_backend_commit_duration_seconds). */
  onCommit: ((seconds: number) => void) | undefined;

  constructor(
    private database: DB,
    opts: BatchOptions = {},
  ) {
    this.limit = opts.limit ?? DEFAULT_BATCH_LIMIT;
    const interval = opts.interval ?? DEFAULT_BATCH_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => {
        if (this.hold === 0 && this.hasPending()) this.commit({ deferSync: true });
      }, interval);
      this.timer.unref?.();
    }
  }

  /** Registers fn to run inside the write tx right before each commit. */
  onPreCommit(fn: (batch: BatchTx) => void): void {
    this.preCommit.push(fn);
  }

  /** The open write tx, begun on first use. */
  get current(): Tx {
    if (this.tx === null) {
      this.tx = this.database.begin(true);
      this.forgetBuckets();
    }
    return this.tx;
  }

  /**
   * A top-level bucket of the open write tx; throws if it does not exist. Callers pass the schema's constant
   * name arrays, so the bucket is found by the array's identity first (no string per write), then by content.
   */
  bucket(name: Uint8Array): Bucket {
    let b = this.bucketsByRef.get(name);
    if (b !== undefined) return b;
    const id = byteKey(name);
    b = this.buckets.get(id);
    if (b === undefined) {
      const found = this.current.bucket(name);
      if (found === null) throw new Error(`mvcc: bucket ${id} does not exist`);
      b = found;
      this.buckets.set(id, b);
    }
    this.bucketsByRef.set(name, b);
    return b;
  }

  /** Drops the bucket handles of a write tx that ended (they belong to it). */
  private forgetBuckets(): void {
    this.buckets.clear();
    this.bucketsByRef = new WeakMap();
  }

  createBucket(name: Uint8Array): void {
    this.current.createBucketIfNotExists(name);
    this.noteWrite();
  }

  get(bucket: Uint8Array, key: Uint8Array): Uint8Array | null {
    return this.bucket(bucket).get(key);
  }

  /** Puts key → value; value must stay unmodified until the next commit (bbolt's rule). */
  put(bucket: Uint8Array, key: Uint8Array, value: Uint8Array): void {
    this.bucket(bucket).put(key, value);
    this.noteWrite();
  }

  delete(bucket: Uint8Array, key: Uint8Array): void {
    this.bucket(bucket).delete(key);
    this.noteWrite();
  }

  /** Counts a write done directly on a bucket of `current`. */
  noteWrite(): void {
    this.pendingWrites++;
  }

  /** Asks for a commit at the next opportunity even without pending writes (e.g. a new consistent index). */
  markDirty(): void {
    this.dirty = true;
  }

  get pending(): number {
    return this.pendingWrites;
  }

  hasPending(): boolean {
    return this.pendingWrites > 0 || this.dirty;
  }

  /** Runs fn with limit-triggered commits held back, then commits if the batch is full. */
  holding<T>(fn: () => T): T {
    this.hold++;
    try {
      return fn();
    } finally {
      this.hold--;
    }
  }

  /** A commit point: commits if the batch reached its limit and no entry is being applied. */
  maybeCommit(): void {
    if (this.hold === 0 && this.pendingWrites >= this.limit) this.commit({ deferSync: true });
  }

  /**
   * Commits the open write tx now (etcd ForceCommit), durable when this returns; a no-op when nothing is open.
   * The batch's own commits (timer, limit) pass deferSync: their fdatasyncs run on the thread pool (the WAL
   * already holds what they carry), and the next commit waits for them.
   */
  commit(opts: { deferSync?: boolean } = {}): void {
    if (this.tx === null) {
      if (!this.dirty) return void (opts.deferSync || this.database.sync());
      this.current;
    }
    for (const fn of this.preCommit) fn(this);
    const tx = this.tx as Tx;
    this.tx = null;
    this.forgetBuckets();
    this.pendingWrites = 0;
    this.dirty = false;
    const started = performance.now();
    tx.commit(opts);
    this.commits++;
    this.onCommit?.((performance.now() - started) / 1000);
  }

  /** The backend file this batch writes to (replaced by defragmentation). */
  get db(): DB {
    return this.database;
  }

  /** Commits what is pending, then continues on `next` (a defragmented copy of the same data). */
  swap(next: DB): void {
    this.commit();
    this.database = next;
  }

  /** Commits what is pending and stops the timer. The DB stays open (the owner closes it). */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.hasPending()) this.commit();
    else if (this.tx !== null) {
      this.tx.rollback();
      this.tx = null;
      this.forgetBuckets();
    }
  }
}
