// Consistency check of a bbolt file as of one read transaction — bbolt's Tx.Check and more:
// every reachable page visited once, page ids below the high water mark, page types as expected, element
// headers inside their page, keys strictly ordered in each page and across siblings, each branch key equal
// to its child's first key, all leaves of a tree at one depth, no page both reachable and free, and no page
// leaked (neither reachable nor free). Never throws on damaged content: it reports and does not descend.
import { compareBytes } from "../bytes/compare.ts";
import { BRANCH_PAGE, BUCKET_HEADER_SIZE, BUCKET_LEAF_FLAG, ELEMENT_SIZE, FREELIST_PAGE, LEAF_PAGE, PAGE_HEADER_SIZE, pageKind, getU64 } from "./layout.ts";
import { Freelist } from "./freelist.ts";
import { NO_FREELIST } from "./meta.ts";
import { PageRef } from "./page.ts";
import type { Tx } from "./tx.ts";
import { hex } from "./hex.ts";

export function check(tx: Tx): string[] {
  const errors: string[] = [];
  const { pageSize } = tx.db;
  const hw = tx.meta.pgid;
  const owner = new Map<number, string>();
  const report = (msg: string) => {
    if (errors.length < 1000) errors.push(msg);
  };

  /** Marks pgid..pgid+overflow reachable; false if out of range or seen before. */
  const claim = (pgid: number, overflow: number, what: string): boolean => {
    if (pgid < 2 && what !== "meta") {
      report(`page ${pgid}: ${what} points at a meta page`);
      return false;
    }
    if (pgid + overflow >= hw) {
      report(`page ${pgid}: ${what} out of bounds (high water mark ${hw})`);
      return false;
    }
    for (let id = pgid; id <= pgid + overflow; id++) {
      const prev = owner.get(id);
      if (prev !== undefined) {
        report(`page ${id}: multiple references (${prev} and ${what})`);
        return false;
      }
      owner.set(id, what);
    }
    return true;
  };

  const pageAt = (pgid: number): PageRef | null => {
    if (pgid >= hw || (pgid + 1) * pageSize > tx.data.length) return null;
    return new PageRef(tx.data, tx.view, pgid * pageSize, pgid);
  };

  claim(0, 0, "meta");
  claim(1, 0, "meta");

  // Freelist.
  const noFreelist = tx.meta.freelist === NO_FREELIST;
  const fl = noFreelist ? null : pageAt(tx.meta.freelist);
  let free: number[] = [];
  if (noFreelist) {
    // Written without a freelist (etcd's NoFreelistSync): free pages are whatever is unreachable.
  } else if (!fl || !(fl.flags & FREELIST_PAGE)) {
    report(`page ${tx.meta.freelist}: freelist page has type ${fl ? pageKind(fl.flags) : "out of range"}`);
  } else if (claim(fl.id, fl.overflow, "freelist")) {
    const ids = Freelist.read(fl, (fl.overflow + 1) * pageSize, hw);
    if (typeof ids === "string") report(`page ${fl.id}: ${ids}`);
    else free = ids;
  }

  /** Validates element headers; returns false (and reports) when any points outside the page run. */
  const elementsInBounds = (p: PageRef, runBytes: number): boolean => {
    const end = p.off + runBytes;
    if (p.off + PAGE_HEADER_SIZE + p.count * ELEMENT_SIZE > end) {
      report(`page ${p.id}: ${p.count} elements do not fit in the page`);
      return false;
    }
    for (let i = 0; i < p.count; i++) {
      const kEnd = p.keyOffset(i) + p.keySize(i);
      const vEnd = p.isLeaf ? kEnd + p.view.getUint32(p.elem(i) + 12, true) : kEnd;
      if (kEnd > end || vEnd > end) {
        report(`page ${p.id}: element ${i} extends past the end of the page`);
        return false;
      }
    }
    return true;
  };

  const walkBucket = (root: number, inline: PageRef | null, path: string): void => {
    let leafDepth = -1;
    const walkPage = (p: PageRef, depth: number, lo: Uint8Array | null, hi: Uint8Array | null, runBytes: number): void => {
      if (!(p.flags & (BRANCH_PAGE | LEAF_PAGE))) {
        report(`page ${p.id}: invalid page type ${pageKind(p.flags)} in bucket ${path}`);
        return;
      }
      if (!elementsInBounds(p, runBytes)) return;
      if (p.count === 0 && (p.isBranch || depth > 0)) report(`page ${p.id}: empty ${pageKind(p.flags)} page below the root of bucket ${path}`);
      let prev: Uint8Array | null = null;
      for (let i = 0; i < p.count; i++) {
        const k = p.key(i);
        if (prev && compareBytes(prev, k) >= 0) report(`page ${p.id}: keys out of order at element ${i} (${hex(prev)} >= ${hex(k)})`);
        if (lo && compareBytes(k, lo) < 0) report(`page ${p.id}: key ${hex(k)} sorts before its parent's key ${hex(lo)}`);
        if (hi && compareBytes(k, hi) >= 0) report(`page ${p.id}: key ${hex(k)} is not below the next sibling's key ${hex(hi)}`);
        prev = k;
      }
      if (lo && p.count > 0 && compareBytes(p.key(0), lo) !== 0) {
        report(`page ${p.id}: first key ${hex(p.key(0))} differs from the branch key ${hex(lo)}`);
      }
      if (p.isLeaf) {
        if (leafDepth === -1) leafDepth = depth;
        else if (leafDepth !== depth) report(`page ${p.id}: leaf at depth ${depth}, others at ${leafDepth} in bucket ${path}`);
        for (let i = 0; i < p.count; i++) {
          if (!(p.leafFlags(i) & BUCKET_LEAF_FLAG)) continue;
          const v = p.value(i);
          const name = `${path}/${hex(p.key(i))}`;
          if (v.length < BUCKET_HEADER_SIZE) {
            report(`page ${p.id}: bucket ${name} header too short`);
            continue;
          }
          const vv = new DataView(v.buffer, v.byteOffset, v.byteLength);
          const childRoot = getU64(vv, 0);
          if (childRoot === 0) {
            if (v.length < BUCKET_HEADER_SIZE + PAGE_HEADER_SIZE) {
              report(`page ${p.id}: inline bucket ${name} too short`);
              continue;
            }
            walkBucket(0, new PageRef(v, vv, BUCKET_HEADER_SIZE, 0), name);
          } else {
            walkBucket(childRoot, null, name);
          }
        }
        return;
      }
      for (let i = 0; i < p.count; i++) {
        const child = p.childPgid(i);
        const cp = pageAt(child);
        if (!cp || !claim(child, cp.overflow, `child of page ${p.id}`)) {
          if (!cp) report(`page ${child}: referenced by page ${p.id} but out of bounds`);
          continue;
        }
        walkPage(cp, depth + 1, p.key(i), i + 1 < p.count ? p.key(i + 1) : hi, (cp.overflow + 1) * pageSize);
      }
    };
    if (inline) {
      const run = inline.buf.length - inline.off;
      if (inline.flags & BRANCH_PAGE) report(`bucket ${path}: inline page is a branch`);
      walkPage(inline, 0, null, null, run);
      return;
    }
    const rp = pageAt(root);
    if (!rp || !claim(root, rp.overflow, `root of bucket ${path}`)) {
      if (!rp) report(`page ${root}: root of bucket ${path} out of bounds`);
      return;
    }
    walkPage(rp, 0, null, null, (rp.overflow + 1) * pageSize);
  };
  walkBucket(tx.meta.root, null, "");

  const freeSet = new Set<number>();
  for (const id of free) {
    if (freeSet.has(id)) report(`page ${id}: listed twice in the freelist`);
    freeSet.add(id);
    if (id < 2 || id >= hw) report(`page ${id}: free page out of bounds (high water mark ${hw})`);
    const o = owner.get(id);
    if (o !== undefined) report(`page ${id}: both reachable (${o}) and free`);
  }
  for (let id = 0; id < hw && !noFreelist; id++) {
    if (!owner.has(id) && !freeSet.has(id)) report(`page ${id}: unreachable unfreed`);
  }
  return errors;
}
