// The tail of the log not yet persisted by the application: an optional incoming snapshot plus entries
// starting at `offset`. Invariant: entries[i].index === offset + i; when a snapshot is pending,
// offset === snapshot.metadata.index + 1. Everything below offset is in Storage (or being replaced).
import { RaftInvariantError } from "./errors.ts";
import type { Entry, Snapshot } from "./types.ts";

export class Unstable {
  snapshot: Snapshot | null = null;
  entries: Entry[] = [];

  constructor(public offset: number) {}

  /** First index if a snapshot is pending, else -1. */
  maybeFirstIndex(): number {
    return this.snapshot !== null ? this.snapshot.metadata.index + 1 : -1;
  }

  /** Last index held here, else -1. */
  maybeLastIndex(): number {
    if (this.entries.length !== 0) return this.offset + this.entries.length - 1;
    if (this.snapshot !== null) return this.snapshot.metadata.index;
    return -1;
  }

  /** Term of entry i if held here, else -1. */
  maybeTerm(i: number): number {
    if (i < this.offset) {
      if (this.snapshot !== null && this.snapshot.metadata.index === i) return this.snapshot.metadata.term;
      return -1;
    }
    const k = i - this.offset;
    if (k >= this.entries.length) return -1;
    return this.entries[k].term;
  }

  /** Entries up to (i, t) were persisted: drop them, unless they were replaced meanwhile. */
  stableTo(i: number, t: number): void {
    if (i < this.offset) return;
    if (this.maybeTerm(i) !== t) return;
    this.entries = this.entries.slice(i + 1 - this.offset);
    this.offset = i + 1;
  }

  stableSnapTo(i: number): void {
    if (this.snapshot !== null && this.snapshot.metadata.index === i) this.snapshot = null;
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.entries = [];
    this.snapshot = s;
  }

  /** Appends ents, first discarding any held entries at or after ents[0].index. */
  truncateAndAppend(ents: Entry[]): void {
    const after = ents[0].index;
    if (after === this.offset + this.entries.length) {
      const dst = this.entries;
      for (let k = 0; k < ents.length; k++) dst.push(ents[k]);
    } else if (after <= this.offset) {
      // Replaces the whole unstable part (and, once persisted, the storage's tail from `after`).
      this.offset = after;
      this.entries = ents.slice();
    } else {
      const kept = this.entries.slice(0, after - this.offset);
      for (let k = 0; k < ents.length; k++) kept.push(ents[k]);
      this.entries = kept;
    }
  }

  /** Entries in [lo, hi); the caller guarantees offset <= lo <= hi <= offset + entries.length. */
  slice(lo: number, hi: number): Entry[] {
    if (lo > hi || lo < this.offset || hi > this.offset + this.entries.length) {
      throw new RaftInvariantError(`unstable.slice[${lo},${hi}) out of bound [${this.offset},${this.offset + this.entries.length}]`);
    }
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
