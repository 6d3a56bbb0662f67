// Rebuilding the store's memory from its backend on open (etcd mvcc/kvstore.go restore): the compaction
// revisions and consistent index from `meta`, the treeIndex from a scan of the `key` bucket in revision
// order (IndexRestorer), and the lease of each live key for the lessor.
// Invariants: currentRev = the last revision in the bucket, but never below the finished compaction (a
// compaction may have deleted the newest revisions, e.g. all tombstones); a scheduled compaction is
// reported only when it is newer than the finished one (the caller resumes it).

import type { Tx } from "../backend/tx.ts";
import { cursor } from "../bytes/protowire.ts";
import { IndexRestorer } from "./index_restorer.ts";
import { readKeyValue } from "./key_value.ts";
import type { KvState } from "./kv_state.ts";
import { bytesToRev, isTombstone } from "./revision.ts";
import { CONSISTENT_INDEX_KEY, decodeUint64, FINISHED_COMPACT_KEY, KEY_BUCKET, META_BUCKET, SCHEDULED_COMPACT_KEY, TERM_KEY } from "./schema.ts";
import { byteKey } from "../bytes/compare.ts";

export interface RestoredMeta {
  consistentIndex: number;
  term: number;
  /** A compaction to resume, 0 if none. */
  scheduledCompact: number;
  /** Live keys with a lease: key (latin1) → lease. */
  keyLeases: Map<string, bigint>;
}

function metaRev(tx: Tx, key: Uint8Array): number | undefined {
  const v = tx.bucket(META_BUCKET)?.get(key);
  return v ? bytesToRev(v).main : undefined;
}

function metaUint64(tx: Tx, key: Uint8Array): number {
  const v = tx.bucket(META_BUCKET)?.get(key);
  return v ? decodeUint64(v) : 0;
}

/** Fills s (fresh) from the backend's committed state. */
export function restoreState(s: KvState): RestoredMeta {
  return s.batch.db.view((tx) => {
    const finished = metaRev(tx, FINISHED_COMPACT_KEY);
    if (finished !== undefined) s.compactMainRev = finished;
    let scheduledCompact = metaRev(tx, SCHEDULED_COMPACT_KEY) ?? 0;
    const keyLeases = new Map<string, bigint>();
    const restorer = new IndexRestorer(s.index);
    const bucket = tx.bucket(KEY_BUCKET);
    if (bucket !== null) s.index.bulk(() => {
      const c = bucket.cursor();
      for (let e = c.first(); e !== null; e = c.next()) {
        const [revKey, value] = e;
        if (value === null) continue;
        const kv = readKeyValue(cursor(value));
        restorer.add(revKey, kv);
        if (kv.lease !== 0n || keyLeases.size > 0) {
          const id = byteKey(kv.key);
          if (!isTombstone(revKey) && kv.lease !== 0n) keyLeases.set(id, kv.lease);
          else keyLeases.delete(id);
        }
      }
    });
    s.currentRev = Math.max(restorer.currentRev, s.compactMainRev);
    if (scheduledCompact <= s.compactMainRev) scheduledCompact = 0;
    return {
      consistentIndex: metaUint64(tx, CONSISTENT_INDEX_KEY),
      term: metaUint64(tx, TERM_KEY),
      scheduledCompact,
      keyLeases,
    };
  });
}
