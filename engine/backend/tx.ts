// A transaction: a consistent view of the tree as of one meta. Read-only transactions read pages straight
// from the file mapping they started with; the (single) read-write transaction materializes the nodes it
// changes and, on commit, rebalances, spills them to freshly allocated pages, writes a new freelist page,
// then: write pages → fdatasync → write the alternate meta (txid % 2) → fdatasync. Nothing reachable from
// the committed meta is written in place, so a crash at any point opens at the last committed meta.
// Pages freed here go to the freelist's pending set only at commit; a rollback leaves the freelist as it was.
import { Bucket } from "./bucket.ts";
import { TxClosedError, TxNotWritableError } from "./errors.ts";
import { NO_FREELIST, type Meta } from "./meta.ts";
import { BRANCH_PAGE, LEAF_PAGE, pageKind } from "./layout.ts";
import { PageRef } from "./page.ts";
import type { DB } from "./db.ts";

export class Tx {
  readonly meta: Meta;
  readonly root: Bucket;
  /** The file mapping this transaction reads from. */
  readonly data: Uint8Array;
  readonly view: DataView;
  private closed = false;
  /** Pages allocated by this transaction's commit: pgid → page buffer (whole overflow run). */
  readonly dirty = new Map<number, Uint8Array>();
  /** Pages freed by this transaction: pgid → overflow. */
  private readonly freed = new Map<number, number>();
  private readonly commitHandlers: (() => void)[] = [];

  constructor(readonly db: DB, readonly writable: boolean) {
    this.meta = { ...db.meta };
    if (writable) this.meta.txid += 1;
    this.data = db.data;
    this.view = db.dataView;
    this.root = new Bucket(this, this.meta.root, this.meta.sequence, []);
  }

  get id(): number {
    return this.meta.txid;
  }
  get isOpen(): boolean {
    return !this.closed;
  }

  assertOpen(): void {
    if (this.closed) throw new TxClosedError();
  }
  assertWritable(): void {
    this.assertOpen();
    if (!this.writable) throw new TxNotWritableError();
  }

  /** A page of the committed tree this transaction sees. */
  page(pgid: number): PageRef {
    if (pgid < 2 || pgid >= this.meta.pgid) {
      throw this.db.corrupt(`page ${pgid} out of range (high water mark ${this.meta.pgid})`, pgid * this.db.pageSize);
    }
    return new PageRef(this.data, this.view, pgid * this.db.pageSize, pgid);
  }

  /** A branch or leaf page of a bucket's tree; anything else means the file is damaged. */
  treePage(pgid: number): PageRef {
    const p = this.page(pgid);
    if (!(p.flags & (BRANCH_PAGE | LEAF_PAGE))) {
      throw this.db.corrupt(`page ${pgid}: expected a branch or leaf page, found ${pageKind(p.flags)}`, pgid * this.db.pageSize);
    }
    return p;
  }

  // ---- top-level buckets (the root bucket's children) ----
  bucket(name: Uint8Array): Bucket | null {
    this.assertOpen();
    return this.root.bucket(name);
  }
  createBucket(name: Uint8Array): Bucket {
    return this.root.createBucket(name);
  }
  createBucketIfNotExists(name: Uint8Array): Bucket {
    return this.root.createBucketIfNotExists(name);
  }
  deleteBucket(name: Uint8Array): void {
    this.root.deleteBucket(name);
  }
  /** Calls fn for each top-level bucket. */
  forEachBucket(fn: (name: Uint8Array, b: Bucket) => void): void {
    this.root.forEach((k) => fn(k, this.root.bucket(k)!));
  }

  /** Runs fn after a successful commit. */
  onCommit(fn: () => void): void {
    this.commitHandlers.push(fn);
  }

  // ---- page accounting used by buckets during commit ----
  freePage(pgid: number, overflow: number): void {
    if (pgid < 2) throw new Error(`cannot free page ${pgid}`);
    if (this.freed.has(pgid)) throw new Error(`page ${pgid} freed twice in tx ${this.meta.txid}`);
    this.freed.set(pgid, overflow);
  }

  /** Allocates `count` contiguous pages (reusing free ones, else above the high water mark). */
  allocate(count: number): { pgid: number; buf: Uint8Array } {
    let pgid = this.db.freelist.allocate(count);
    if (pgid === 0) {
      pgid = this.meta.pgid;
      this.meta.pgid += count;
    }
    const buf = this.db.arena.take(count * this.db.pageSize);
    this.dirty.set(pgid, buf);
    return { pgid, buf };
  }

  /** A copy of `bytes` for this transaction's nodes (keys written into them), from the DB's arena. */
  copy(bytes: Uint8Array): Uint8Array {
    const out = this.db.arena.take(bytes.length);
    out.set(bytes);
    return out;
  }

  /**
   * Writes the transaction. With `deferSync` the fdatasyncs and the meta page write run on the thread pool
   * after this returns (DB.writeCommit); the next commit, DB.sync() or close() waits for them.
   */
  commit(opts: { deferSync?: boolean } = {}): void {
    this.assertWritable();
    const db = this.db;
    try {
      this.root.rebalance();
      this.root.spill();
      this.meta.root = this.root.root;
      this.meta.sequence = this.root.sequence;
      // The freelist is rewritten on every commit; the old page becomes pending like any other.
      if (this.meta.freelist !== NO_FREELIST) {
        const oldFreelist = this.page(this.meta.freelist);
        this.freePage(oldFreelist.id, oldFreelist.overflow);
      }
      for (const [pgid, overflow] of this.freed) db.freelist.free(this.meta.txid, pgid, overflow);
      const { pgid, buf } = this.allocate(Math.floor(db.freelist.size() / db.pageSize) + 1);
      db.freelist.write(buf, pgid, buf.length / db.pageSize - 1);
      this.meta.freelist = pgid;
      db.writeCommit(this.meta, this.dirty, opts.deferSync);
    } catch (e) {
      db.reloadFreelist();
      this.close();
      throw e;
    }
    this.close();
    for (const fn of this.commitHandlers) fn();
  }

  rollback(): void {
    if (this.closed) return;
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.txClosed(this);
  }
}
