// Space statistics of a database as of one read transaction: pages by kind for the whole file, and per
// bucket (bbolt's BucketStats fields: page counts, bytes allocated vs in use, depth, keys, inline buckets).
import { BUCKET_LEAF_FLAG, ELEMENT_SIZE, PAGE_HEADER_SIZE } from "./layout.ts";
import { NO_FREELIST } from "./meta.ts";
import { walkPages } from "./walk.ts";
import type { Tx } from "./tx.ts";

export interface BucketStats {
  branchPages: number;
  branchOverflow: number;
  leafPages: number;
  leafOverflow: number;
  keys: number;
  depth: number;
  branchAlloc: number;
  branchInuse: number;
  leafAlloc: number;
  leafInuse: number;
  inline: boolean;
  inlineInuse: number;
}

export interface FileStats {
  pageSize: number;
  txid: number;
  highWater: number;
  fileBytes: number;
  pages: { meta: number; freelist: number; branch: number; leaf: number; free: number };
  /** Bytes of keys and values stored (all buckets), and bytes of pages holding them. */
  kvBytes: number;
  treeBytes: number;
  buckets: Map<string, BucketStats>;
}

const newStats = (): BucketStats => ({
  branchPages: 0, branchOverflow: 0, leafPages: 0, leafOverflow: 0, keys: 0, depth: 0,
  branchAlloc: 0, branchInuse: 0, leafAlloc: 0, leafInuse: 0, inline: false, inlineInuse: 0,
});

export function stats(tx: Tx): FileStats {
  const ps = tx.db.pageSize;
  const dec = new TextDecoder();
  const buckets = new Map<string, BucketStats>();
  const out: FileStats = {
    pageSize: ps, txid: tx.meta.txid, highWater: tx.meta.pgid, fileBytes: tx.db.size,
    pages: { meta: 2, freelist: 0, branch: 0, leaf: 0, free: tx.db.freelist.count() },
    kvBytes: 0, treeBytes: 0, buckets,
  };
  if (tx.meta.freelist !== NO_FREELIST) out.pages.freelist = 1 + tx.page(tx.meta.freelist).overflow;
  walkPages(tx, ({ page, depth, path, inline }) => {
    const name = path.length ? path.map((p) => dec.decode(p)).join("/") : "(root)";
    let s = buckets.get(name);
    if (!s) buckets.set(name, (s = newStats()));
    s.depth = Math.max(s.depth, depth + 1);
    let used = PAGE_HEADER_SIZE + page.count * ELEMENT_SIZE;
    for (let i = 0; i < page.count; i++) {
      used += page.keySize(i);
      if (page.isLeaf) {
        const v = page.value(i).length;
        used += v;
        if (!(page.leafFlags(i) & BUCKET_LEAF_FLAG)) {
          s.keys++;
          out.kvBytes += page.keySize(i) + v;
        }
      }
    }
    if (inline) {
      s.inline = true;
      s.inlineInuse += used;
      return;
    }
    const alloc = (page.overflow + 1) * ps;
    out.treeBytes += alloc;
    if (page.isLeaf) {
      s.leafPages++;
      s.leafOverflow += page.overflow;
      s.leafAlloc += alloc;
      s.leafInuse += used;
      out.pages.leaf += page.overflow + 1;
    } else {
      s.branchPages++;
      s.branchOverflow += page.overflow;
      s.branchAlloc += alloc;
      s.branchInuse += used;
      out.pages.branch += page.overflow + 1;
    }
  });
  return out;
}
