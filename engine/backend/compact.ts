// Compaction: copies every live bucket, key and sequence of one database into a fresh file, in key order,
// committing every `txMaxSize` bytes. The new file has no free pages and its pages are filled to each
// bucket's fill percent (taken from the destination's options) — this is what defragmentation uses.
import { Bucket } from "./bucket.ts";
import type { DB } from "./db.ts";
import type { Tx } from "./tx.ts";

export interface CompactOptions {
  /** Bytes of keys and values per destination transaction (bbolt compact's default: 65536). */
  txMaxSize?: number;
}

export function compact(src: DB, dst: DB, opts: CompactOptions = {}): { keys: number; buckets: number } {
  const txMaxSize = opts.txMaxSize ?? 65536;
  let tx: Tx = dst.begin(true);
  let size = 0;
  let keys = 0;
  let buckets = 0;
  // The destination bucket for a path, re-opened after each intermediate commit.
  const open = (path: Uint8Array[]): Bucket => {
    let b: Bucket = tx.root;
    for (const name of path) b = b.bucket(name)!;
    return b;
  };
  const roll = (bytes: number): void => {
    size += bytes;
    if (size < txMaxSize) return;
    tx.commit();
    tx = dst.begin(true);
    size = 0;
  };
  const copy = (from: Bucket, path: Uint8Array[]): void => {
    const c = from.cursor();
    for (let e = c.first(); e; e = c.next()) {
      const [k, v] = e;
      if (v === null) {
        const child = from.bucket(k)!;
        const created = open(path).createBucket(k);
        if (child.sequence !== 0n) created.setSequence(child.sequence);
        buckets++;
        roll(k.length);
        copy(child, [...path, k.slice()]);
      } else {
        open(path).put(k, v);
        keys++;
        roll(k.length + v.length);
      }
    }
  };
  const rtx = src.begin(false);
  try {
    copy(rtx.root, []);
    tx.commit();
  } finally {
    rtx.rollback();
    tx.rollback();
  }
  return { keys, buckets };
}
