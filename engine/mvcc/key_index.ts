// keyIndex: every revision of one user key, grouped in generations (etcd 3.4 mvcc/key_index.go).
// A generation runs from a creation (put on a missing key) to a tombstone inclusive; a tombstone appends an
// empty generation. Compaction at rev keeps, per generation, the largest revision ≤ rev (dropped if it is
// the generation's tombstone), drops generations wholly ≤ rev, and may leave the index empty.
//
// Memory layout (a million keys live here, so no object per generation or revision): one flat number
// array `data` holding the generations oldest first, each as
//   [ver, createdMain, createdSub, count, main0, sub0, ..., main(count-1), sub(count-1)]
// and `last`, the offset of the last generation's header. Invariants: revisions strictly increase across
// the array; only the last generation may be empty (count 0); `data` is empty only before the first put.

import { RevisionNotFoundError } from "./errors.ts";
import type { Revision } from "./revision.ts";
import type { RevisionSet } from "./revision_set.ts";

const HEADER = 4;
const VER = 0;
const CREATED_MAIN = 1;
const CREATED_SUB = 2;
const COUNT = 3;

/** Header offset of the generation found by the last locate() (a scratch slot, to keep KeyIndex small). */
let foundGen = 0;

/** What a key looked like at a revision: its last modification, its creation, its version. */
export interface KeyIndexGet {
  modified: Revision;
  created: Revision;
  version: number;
}

/** One generation, materialized (for tests and debugging). */
export interface Generation {
  ver: number;
  created: Revision;
  revs: Revision[];
}

export class KeyIndex {
  readonly key: Uint8Array;
  private data: number[] = [];
  private last = 0;

  /** The key is referenced, not copied: the caller must not mutate it afterwards. */
  constructor(key: Uint8Array) {
    this.key = key;
  }

  /** Offset just past the generation whose header is at g. */
  private next(g: number): number {
    return g + HEADER + 2 * this.data[g + COUNT];
  }

  /** Offset of the latest revision put, or -1 before any put (or once compacted down to one empty generation). */
  private latest(): number {
    const d = this.data;
    if (d.length === 0) return -1;
    if (d[this.last + COUNT] > 0) return d.length - 2;
    return this.last === 0 ? -1 : this.last - 2;
  }

  /** The latest revision ever put (etcd's keyIndex.modified), or undefined before any put. */
  modified(): Revision | undefined {
    const i = this.latest();
    return i < 0 ? undefined : { main: this.data[i], sub: this.data[i + 1] };
  }

  /** Appends rev to the current generation, creating it if needed. rev must exceed every revision put so far. */
  put(main: number, sub: number): void {
    const d = this.data;
    const m = this.latest();
    if (m >= 0 && !(main > d[m] || (main === d[m] && sub > d[m + 1]))) {
      throw new Error(`mvcc: keyIndex put with unexpected smaller revision ${main}.${sub} <= ${d[m]}.${d[m + 1]}`);
    }
    if (d.length === 0) d.push(0, 0, 0, 0);
    const g = this.last;
    if (d[g + COUNT] === 0) {
      d[g + CREATED_MAIN] = main;
      d[g + CREATED_SUB] = sub;
    }
    d.push(main, sub);
    d[g + COUNT]++;
    d[g + VER]++;
  }

  /** Rebuilds from a stored KeyValue that may sit mid-generation after compaction (etcd keyIndex.restore). */
  restore(created: Revision, modified: Revision, ver: number): void {
    if (this.data.length !== 0) throw new Error("mvcc: cannot restore a non-empty keyIndex");
    this.data = [ver, created.main, created.sub, 1, modified.main, modified.sub];
    this.last = 0;
  }

  /** Puts rev as a tombstone and opens a new empty generation. Throws RevisionNotFoundError if the key is not live. */
  tombstone(main: number, sub: number): void {
    if (this.isEmpty()) throw new Error("mvcc: unexpected tombstone on empty keyIndex");
    if (this.data[this.last + COUNT] === 0) throw new RevisionNotFoundError();
    this.put(main, sub);
    this.last = this.data.length;
    this.data.push(0, 0, 0, 0);
  }

  /** True when the current generation has revisions, i.e. the key exists now. */
  isLive(): boolean {
    return this.data.length > 0 && this.data[this.last + COUNT] > 0;
  }

  /** True when only one, empty, generation is left (the tree drops such keys). */
  isEmpty(): boolean {
    return this.data.length === 0 || (this.last === 0 && this.data[COUNT] === 0);
  }

  /**
   * Offset in `data` of the revision visible at atRev (its main ≤ atRev, in a generation not yet tombstoned
   * at atRev), or -1. Sets `foundGen` to that generation's header offset. etcd findGeneration + walk.
   */
  private locate(atRev: number): number {
    const d = this.data;
    let found = -1;
    for (let g = 0; g < d.length; g = this.next(g)) {
      if (d[g + COUNT] === 0) continue;
      if (d[g + HEADER] > atRev) break; // this and later generations start after atRev
      found = g;
    }
    if (found < 0) return -1;
    let i = this.next(found) - 2; // last revision of the generation
    if (found !== this.last && d[i] <= atRev) return -1; // tombstoned at or before atRev
    while (d[i] > atRev) i -= 2;
    foundGen = found;
    return i;
  }

  /** The revision visible at atRev, or undefined (etcd get's `modified`, without the other allocations). */
  revisionAt(atRev: number): Revision | undefined {
    const i = this.locate(atRev);
    return i < 0 ? undefined : { main: this.data[i], sub: this.data[i + 1] };
  }

  /** True when the key is live at atRev. */
  existsAt(atRev: number): boolean {
    return this.locate(atRev) >= 0;
  }

  /** etcd keyIndex.get: modified/created/version at atRev, or undefined where etcd returns ErrRevisionNotFound. */
  get(atRev: number): KeyIndexGet | undefined {
    if (this.isEmpty()) throw new Error("mvcc: unexpected get on empty keyIndex");
    const i = this.locate(atRev);
    if (i < 0) return undefined;
    const d = this.data;
    const g = foundGen;
    const newer = (this.next(g) - 2 - i) / 2; // revisions of this generation after the visible one
    return {
      modified: { main: d[i], sub: d[i + 1] },
      created: { main: d[g + CREATED_MAIN], sub: d[g + CREATED_SUB] },
      version: d[g + VER] - newer,
    };
  }

  /**
   * etcd keyIndex.since: revisions with main ≥ rev in order; of several sharing a main only the one with
   * the largest sub is kept (the others were never visible outside their transaction).
   */
  since(rev: number, out: Revision[] = []): Revision[] {
    if (this.isEmpty()) throw new Error("mvcc: unexpected since on empty keyIndex");
    const d = this.data;
    const first = out.length;
    let lastMain = 0;
    for (let g = 0; g < d.length; g = this.next(g)) {
      for (let i = g + HEADER, end = this.next(g); i < end; i += 2) {
        const main = d[i];
        if (main < rev) continue;
        if (main === lastMain && out.length > first) out[out.length - 1] = { main, sub: d[i + 1] };
        else out.push({ main, sub: d[i + 1] });
        lastMain = main;
      }
    }
    return out;
  }

  /**
   * etcd doCompact: the generation to compact (the first not tombstoned at or before atRev, else the last)
   * and the offset of its largest revision ≤ atRev (-1 if none), which is added to `available`.
   */
  private compactionPoint(atRev: number, available: RevisionSet): [gen: number, rev: number] {
    const d = this.data;
    let g = 0;
    while (g !== this.last && d[this.next(g) - 2] <= atRev) g = this.next(g);
    for (let i = this.next(g) - 2; i >= g + HEADER; i -= 2) {
      if (d[i] <= atRev) {
        available.add(d[i], d[i + 1]);
        return [g, i];
      }
    }
    return [g, -1];
  }

  /**
   * etcd keyIndex.compact: removes revisions ≤ atRev except the largest one per surviving generation
   * (not kept if it is that generation's tombstone), and generations emptied that way. Revisions kept
   * are added to `available`.
   */
  compact(atRev: number, available: RevisionSet): void {
    if (this.isEmpty()) throw new Error("mvcc: unexpected compact on empty keyIndex");
    const d = this.data;
    let [g, i] = this.compactionPoint(atRev, available);
    if (d[g + COUNT] > 0) {
      if (i >= 0) {
        const drop = (i - g - HEADER) / 2;
        d.splice(g + HEADER, 2 * drop);
        d[g + COUNT] -= drop;
        if (g !== this.last) this.last -= 2 * drop;
      }
      if (d[g + COUNT] === 1 && g !== this.last) {
        available.delete(d[g + HEADER], d[g + HEADER + 1]); // a lone tombstone is not kept
        g = this.next(g);
      }
    }
    if (g > 0) {
      d.splice(0, g);
      this.last -= g;
    }
  }

  /** etcd keyIndex.keep: adds to `available` what compact(atRev) would keep, without changing anything. */
  keep(atRev: number, available: RevisionSet): void {
    if (this.isEmpty()) return;
    const [g, i] = this.compactionPoint(atRev, available);
    if (this.data[g + COUNT] > 0 && i === this.next(g) - 2 && g !== this.last) {
      available.delete(this.data[i], this.data[i + 1]);
    }
  }

  /** The generations, materialized, oldest first. */
  generations(): Generation[] {
    const d = this.data;
    const gens: Generation[] = [];
    for (let g = 0; g < d.length; g = this.next(g)) {
      const revs: Revision[] = [];
      for (let i = g + HEADER; i < this.next(g); i += 2) revs.push({ main: d[i], sub: d[i + 1] });
      gens.push({ ver: d[g + VER], created: { main: d[g + CREATED_MAIN], sub: d[g + CREATED_SUB] }, revs });
    }
    return gens;
  }
}
