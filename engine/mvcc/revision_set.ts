// RevisionSet: a set of revisions by value, the "available" map of etcd's compaction (treeIndex.Compact/Keep
// return map[revision]struct{}; the compactor deletes every bucket key whose revision is not in it).
// Invariant: `byMain` maps main → the single sub (a number, the common case: one change per txn touches a
// kept revision) or a Set of subs when several share a main; an entry never holds an empty Set.

import type { Revision } from "./revision.ts";

export class RevisionSet {
  private readonly byMain = new Map<number, number | Set<number>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(main: number, sub: number): boolean {
    const e = this.byMain.get(main);
    return e === undefined ? false : typeof e === "number" ? e === sub : e.has(sub);
  }

  hasRevision(rev: Revision): boolean {
    return this.has(rev.main, rev.sub);
  }

  add(main: number, sub: number): void {
    const e = this.byMain.get(main);
    if (e === undefined) {
      this.byMain.set(main, sub);
    } else if (typeof e === "number") {
      if (e === sub) return;
      this.byMain.set(main, new Set([e, sub]));
    } else {
      if (e.has(sub)) return;
      e.add(sub);
    }
    this.count++;
  }

  delete(main: number, sub: number): boolean {
    const e = this.byMain.get(main);
    if (e === undefined) return false;
    if (typeof e === "number") {
      if (e !== sub) return false;
      this.byMain.delete(main);
    } else {
      if (!e.delete(sub)) return false;
      if (e.size === 1) this.byMain.set(main, e.values().next().value as number);
    }
    this.count--;
    return true;
  }

  /** All revisions, unordered. */
  *[Symbol.iterator](): IterableIterator<Revision> {
    for (const [main, e] of this.byMain) {
      if (typeof e === "number") yield { main, sub: e };
      else for (const sub of e) yield { main, sub };
    }
  }
}
