// RaftLog: the node's view of its whole log, Storage (persisted) followed by Unstable (to persist),
// plus the commit and applied cursors. Invariants: applied <= committed <= lastIndex();
// firstIndex() - 1 is the snapshot index, whose term is always known.
import { RaftInvariantError } from "./errors.ts";
import type { Storage } from "./storage.ts";
import { limitSize } from "./storage.ts";
import { Unstable } from "./unstable.ts";
import type { Entry, Snapshot } from "./types.ts";

export class RaftLog {
  readonly unstable: Unstable;
  committed: number;
  applied: number;

  constructor(readonly storage: Storage) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    const i = this.unstable.maybeFirstIndex();
    return i >= 0 ? i : this.storage.firstIndex();
  }

  lastIndex(): number {
    const i = this.unstable.maybeLastIndex();
    return i >= 0 ? i : this.storage.lastIndex();
  }

  /** Index of the last entry the application has persisted (and not since replaced); 0 while a snapshot is pending. */
  persistedIndex(): number {
    return this.unstable.snapshot !== null ? 0 : this.unstable.offset - 1;
  }

  /** Term of entry i; 0 when i is outside [firstIndex - 1, lastIndex]. */
  term(i: number): number {
    const t = this.unstable.maybeTerm(i);
    if (t >= 0) return t;
    if (i < this.firstIndex() - 1 || i > this.lastIndex()) return 0;
    return this.storage.term(i);
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  matchTerm(i: number, t: number): boolean {
    if (i < this.firstIndex() - 1 || i > this.lastIndex()) return false;
    return this.term(i) === t;
  }

  /** Whether a log ending at (lasti, term) is at least as up to date as ours (Raft §5.4.1). */
  isUpToDate(lasti: number, term: number): boolean {
    const lt = this.lastTerm();
    return term > lt || (term === lt && lasti >= this.lastIndex());
  }

  /** Appends leader-chosen entries; returns the new last index. Never rewrites committed entries. */
  append(ents: Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0].index - 1;
    if (after < this.committed) {
      throw new RaftInvariantError(`after(${after}) is out of range [committed(${this.committed})]`);
    }
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /**
   * Follower side of AppendEntries: if (index, logTerm) matches, appends ents (truncating a conflicting
   * suffix), advances commit to min(committed, last new index) and returns that last new index; else -1.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: Entry[]): number {
    if (!this.matchTerm(index, logTerm)) return -1;
    const lastNew = index + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      if (ci <= this.committed) throw new RaftInvariantError(`entry ${ci} conflict with committed entry [committed(${this.committed})]`);
      this.append(ents.slice(ci - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  /** Index of the first entry in ents whose term differs from ours (or that we lack); 0 if none. */
  findConflict(ents: Entry[]): number {
    for (const e of ents) if (!this.matchTerm(e.index, e.term)) return e.index;
    return 0;
  }

  /**
   * The largest index <= index whose term is <= term, with that term (fast back-off, etcd-io/raft).
   * Stops at compacted entries, returning (index, 0) there.
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    const first = this.firstIndex() - 1;
    for (; index > 0; index--) {
      if (index < first) return [index, 0];
      const ours = this.term(index);
      if (ours <= term) return [index, ours];
    }
    return [0, 0];
  }

  commitTo(toCommit: number): void {
    if (this.committed >= toCommit) return;
    if (this.lastIndex() < toCommit) {
      throw new RaftInvariantError(`tocommit(${toCommit}) is out of range [lastIndex(${this.lastIndex()})]`);
    }
    this.committed = toCommit;
  }

  /** Commits maxIndex if it is in term (only entries of the current term are committed by counting). */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.term(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    if (this.committed < i || i < this.applied) {
      throw new RaftInvariantError(`applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`);
    }
    this.applied = i;
  }

  hasNextEntries(): boolean {
    return this.committed + 1 > Math.max(this.applied + 1, this.firstIndex());
  }

  /** Committed entries not yet applied. */
  nextEntries(maxSize: number): Entry[] {
    const off = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 > off) return this.slice(off, this.committed + 1, maxSize);
    return [];
  }

  /** Entries from i to the end, size-limited; the caller checks i >= firstIndex. */
  entriesFrom(i: number, maxSize: number): Entry[] {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxSize);
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /** Entries in [lo, hi) from storage and/or unstable; lo >= firstIndex and hi <= lastIndex + 1. */
  slice(lo: number, hi: number, maxSize: number): Entry[] {
    if (lo > hi || lo < this.firstIndex() || hi > this.lastIndex() + 1) {
      throw new RaftInvariantError(`slice[${lo},${hi}) out of bound [${this.firstIndex()},${this.lastIndex()}]`);
    }
    if (lo === hi) return [];
    const off = this.unstable.offset;
    let ents: Entry[] = [];
    if (lo < off) {
      ents = this.storage.entries(lo, Math.min(hi, off), maxSize);
      if (ents.length < Math.min(hi, off) - lo) return ents; // hit the size limit
    }
    if (hi > off) {
      const tail = this.unstable.slice(Math.max(lo, off), hi);
      ents = ents.length === 0 ? tail : ents.concat(tail);
    }
    return limitSize(ents, maxSize);
  }
}
