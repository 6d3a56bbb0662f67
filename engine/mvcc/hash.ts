// Hash and HashKV as etcd 3.4 computes them, so the values compare with etcd's for the same data:
// - hashBackend (backend.Hash with DefaultIgnores): CRC-32C over every top-level bucket in name order:
//   the bucket name, then each key and value, skipping meta/consistent_index (and meta/term, which etcd 3.5
//   also ignores and 3.4 never writes). Read from the last commit: callers commit first, as etcd does.
// - hashKVAt (store.HashByRev): CRC-32C of "key" then every key-bucket entry with main ≤ rev; below the
//   compaction revision only the revisions the index keeps at rev (etcd's `keep`, when non-empty) count.

import type { DB } from "../backend/db.ts";
import { Crc32c } from "../bytes/crc32c.ts";
import type { KvState } from "./kv_state.ts";
import { bytesToRev } from "./revision.ts";
import { CONSISTENT_INDEX_KEY, KEY_BUCKET, META_BUCKET, TERM_KEY } from "./schema.ts";
import { compareBytes } from "../bytes/compare.ts";

function ignored(bucket: Uint8Array, key: Uint8Array): boolean {
  return compareBytes(bucket, META_BUCKET) === 0 && (compareBytes(key, CONSISTENT_INDEX_KEY) === 0 || compareBytes(key, TERM_KEY) === 0);
}

/** etcd backend.Hash(DefaultIgnores) over the committed state of db. */
export function hashBackend(db: DB): number {
  return db.view((tx) => {
    const h = new Crc32c();
    tx.forEachBucket((name, b) => {
      h.write(name);
      b.forEach((k, v) => {
        if (ignored(name, k)) return;
        h.write(k);
        if (v !== null) h.write(v); // a nested bucket's name is hashed, as Go's h.Write(k); h.Write(nil)
      });
    });
    return h.sum();
  });
}

/** etcd HashByRev's hash, for a revision already validated (0 < rev ≤ currentRev). Reads the open batch. */
export function hashKVAt(s: KvState, rev: number): number {
  const keep = s.index.keep(rev);
  const compactRev = s.compactMainRev;
  const h = new Crc32c().write(KEY_BUCKET);
  const c = s.batch.bucket(KEY_BUCKET).cursor();
  for (let e = c.first(); e !== null; e = c.next()) {
    const [k, v] = e;
    const kr = bytesToRev(k);
    if (kr.main > rev) break; // keys are in revision order
    if (kr.main <= compactRev && keep.size > 0 && !keep.has(kr.main, kr.sub)) continue;
    h.write(k);
    if (v !== null) h.write(v);
  }
  return h.sum();
}
