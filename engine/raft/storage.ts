// The read side of the persisted log that Raft consults. The application owns writes (it persists each
// Ready and then updates its Storage). Invariants: entries [firstIndex, lastIndex] are contiguous;
// term(firstIndex - 1) is the term of the latest snapshot (the "dummy" entry) and is always available.
import type { ConfState, Entry, HardState, Snapshot } from "./types.ts";

export interface InitialState {
  hardState: HardState;
  confState: ConfState;
}

export interface Storage {
  /** The persisted HardState and the ConfState of the latest snapshot. */
  initialState(): InitialState;
  /**
   * Entries in [lo, hi), trimmed to at most maxSize bytes but never to zero entries.
   * Throws CompactedError if lo < firstIndex, UnavailableError if hi > lastIndex + 1.
   */
  entries(lo: number, hi: number, maxSize: number): Entry[];
  /** Term of entry i, for firstIndex - 1 <= i <= lastIndex. Throws CompactedError / UnavailableError outside. */
  term(i: number): number;
  lastIndex(): number;
  /** Index of the first entry still held (the one after the latest snapshot). */
  firstIndex(): number;
  /** The latest snapshot; may throw SnapshotTemporarilyUnavailableError. */
  snapshot(): Snapshot;
}

/** Keeps the longest prefix of ents whose total size is <= maxSize, and at least one entry. */
export function limitSize(ents: Entry[], maxSize: number): Entry[] {
  if (ents.length <= 1 || maxSize === Infinity) return ents;
  let size = ents[0].data.byteLength + 24;
  let n = 1;
  for (; n < ents.length; n++) {
    size += ents[n].data.byteLength + 24;
    if (size > maxSize) break;
  }
  return n === ents.length ? ents : ents.slice(0, n);
}
