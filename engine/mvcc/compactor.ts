// The backend half of compaction (etcd mvcc/kvstore_compaction.go scheduleCompaction): deletes from the
// `key` bucket every revision with main ≤ rev that the index no longer keeps, `batchLimit` bucket keys per
// batch; each full batch is committed at once and followed by a `pauseMs` pause so writers run in between.
// The last batch writes finishedCompactRev (left to the normal batch commit, as etcd does).
// Invariants: jobs run one at a time in scheduling order (etcd's FIFO scheduler); after stop() no job touches
// the backend again, and an unfinished job is resumed on the next open from scheduledCompactRev.

import type { BatchTx } from "./batch_tx.ts";
import { compareBytes } from "../bytes/compare.ts";
import type { RevisionSet } from "./revision_set.ts";
import { bytesToRev, REV_BYTES_LEN, revToBytes } from "./revision.ts";
import { FINISHED_COMPACT_KEY, KEY_BUCKET, META_BUCKET } from "./schema.ts";

export interface CompactionOptions {
  /** Bucket keys examined per batch (etcd --experimental-compaction-batch-limit, default 1000). */
  batchLimit?: number;
  /** Pause between batches in ms (etcd: 10). */
  pauseMs?: number;
}

export const DEFAULT_COMPACTION_BATCH_LIMIT = 1000;
export const DEFAULT_COMPACTION_PAUSE_MS = 10;

export class Compactor {
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly batchLimit: number;
  private readonly pauseMs: number;
  /** Batches run so far (for tests and metrics). */
  batches = 0;

  constructor(
    private readonly batch: BatchTx,
    opts: CompactionOptions = {},
  ) {
    this.batchLimit = opts.batchLimit ?? DEFAULT_COMPACTION_BATCH_LIMIT;
    this.pauseMs = opts.pauseMs ?? DEFAULT_COMPACTION_PAUSE_MS;
  }

  /** Queues the deletion for compaction at rev; resolves when it finished or the compactor stopped. */
  schedule(rev: number, keep: RevisionSet): Promise<void> {
    this.chain = this.chain.then(() => this.run(rev, keep));
    return this.chain;
  }

  /** Stops after the batch in progress (etcd closes stopc on store close). */
  stop(): void {
    this.stopped = true;
  }

  private async run(rev: number, keep: RevisionSet): Promise<void> {
    const end = revToBytes({ main: rev + 1, sub: 0 }).subarray(0, 8);
    let last: Uint8Array = new Uint8Array(REV_BYTES_LEN);
    for (;;) {
      if (this.stopped) return;
      const keys = this.nextKeys(last, end);
      const bucket = this.batch.bucket(KEY_BUCKET);
      for (const k of keys) {
        const r = bytesToRev(k);
        if (!keep.has(r.main, r.sub)) {
          bucket.delete(k);
          this.batch.noteWrite();
        }
      }
      this.batches++;
      if (keys.length < this.batchLimit) {
        this.batch.put(META_BUCKET, FINISHED_COMPACT_KEY, revToBytes({ main: rev, sub: 0 }));
        return;
      }
      const r = bytesToRev(keys[keys.length - 1]);
      last = revToBytes({ main: r.main, sub: r.sub + 1 });
      this.batch.commit({ deferSync: true });
      await Bun.sleep(this.pauseMs);
    }
  }

  /** Up to batchLimit bucket keys in [from, end), copied. */
  private nextKeys(from: Uint8Array, end: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const c = this.batch.bucket(KEY_BUCKET).cursor();
    for (let e = c.seek(from); e !== null && out.length < this.batchLimit; e = c.next()) {
      if (compareBytes(e[0], end) >= 0) break;
      out.push(e[0].slice());
    }
    return out;
  }
}
