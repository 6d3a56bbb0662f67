// Visits every page reachable from a transaction's root bucket, nested buckets included, in depth-first
// order. Used to rebuild the freelist of files written without one (etcd runs bbolt with NoFreelistSync)
// and for statistics. Assumes a sound file; `check` is the validating walk.
import { BUCKET_HEADER_SIZE, BUCKET_LEAF_FLAG, getU64 } from "./layout.ts";
import { PageRef } from "./page.ts";
import type { Tx } from "./tx.ts";

export interface PageVisit {
  page: PageRef;
  /** Depth below the bucket's root (0 = root). */
  depth: number;
  /** Bucket names from the top level down; [] for the root bucket. */
  path: Uint8Array[];
  /** True for an inline bucket's page (stored inside its parent's leaf value). */
  inline: boolean;
}

export function walkPages(tx: Tx, fn: (v: PageVisit) => void): void {
  const visitBucket = (root: number, inline: PageRef | null, path: Uint8Array[]): void => {
    const visit = (p: PageRef, depth: number, isInline: boolean): void => {
      fn({ page: p, depth, path, inline: isInline });
      if (p.isBranch) {
        for (let i = 0; i < p.count; i++) visit(tx.page(p.childPgid(i)), depth + 1, false);
        return;
      }
      for (let i = 0; i < p.count; i++) {
        if (!(p.leafFlags(i) & BUCKET_LEAF_FLAG)) continue;
        const v = p.value(i);
        const vv = new DataView(v.buffer, v.byteOffset, v.byteLength);
        const child = getU64(vv, 0);
        const childPath = [...path, p.key(i)];
        if (child === 0) visitBucket(0, new PageRef(v, vv, BUCKET_HEADER_SIZE, 0), childPath);
        else visitBucket(child, null, childPath);
      }
    };
    if (inline) visit(inline, 0, true);
    else visit(tx.page(root), 0, false);
  };
  visitBucket(tx.meta.root, null, []);
}
