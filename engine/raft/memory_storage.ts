// In-memory Storage: what the application persisted, held in arrays. Used by tests, the simulator and
// benchmarks, and as the server's in-memory mirror of the WAL. Invariant: ents[0] is a dummy entry whose
// index/term are the latest snapshot's, so ents[i] has index ents[0].index + i.
import { CompactedError, RaftInvariantError, SnapshotOutOfDateError, UnavailableError } from "./errors.ts";
import { type InitialState, type Storage, limitSize } from "./storage.ts";
import {
  type ConfState,
  type Entry,
  EntryType,
  EMPTY_BYTES,
  type HardState,
  type Snapshot,
  emptyHardState,
  emptySnapshot,
} from "./types.ts";

export class MemoryStorage implements Storage {
  private hardState: HardState = emptyHardState();
  private snap: Snapshot = emptySnapshot();
  private ents: Entry[] = [{ term: 0, index: 0, type: EntryType.EntryNormal, data: EMPTY_BYTES }];

  initialState(): InitialState {
    return { hardState: { ...this.hardState }, confState: this.snap.metadata.confState };
  }

  setHardState(hs: HardState): void {
    this.hardState = { term: hs.term, vote: hs.vote, commit: hs.commit };
  }

  entries(lo: number, hi: number, maxSize: number): Entry[] {
    const offset = this.ents[0].index;
    if (lo <= offset) throw new CompactedError();
    if (hi > this.lastIndex() + 1) throw new UnavailableError();
    if (this.ents.length === 1) throw new UnavailableError(); // only the dummy entry
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSize);
  }

  term(i: number): number {
    const offset = this.ents[0].index;
    if (i < offset) throw new CompactedError();
    if (i - offset >= this.ents.length) throw new UnavailableError();
    return this.ents[i - offset].term;
  }

  lastIndex(): number {
    return this.ents[0].index + this.ents.length - 1;
  }

  firstIndex(): number {
    return this.ents[0].index + 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole contents with a snapshot received from the leader. */
  applySnapshot(snap: Snapshot): void {
    if (snap.metadata.index <= this.snap.metadata.index) throw new SnapshotOutOfDateError();
    this.snap = snap;
    this.ents = [{ term: snap.metadata.term, index: snap.metadata.index, type: EntryType.EntryNormal, data: EMPTY_BYTES }];
  }

  /** Records a snapshot of the application's state at applied index i (<= lastIndex); entries stay until compact(). */
  createSnapshot(i: number, cs: ConfState | null, data: Uint8Array): Snapshot {
    if (i <= this.snap.metadata.index) throw new SnapshotOutOfDateError();
    if (i > this.lastIndex()) throw new RaftInvariantError(`snapshot ${i} is out of bound lastindex(${this.lastIndex()})`);
    const confState = cs ?? this.snap.metadata.confState;
    this.snap = { data, metadata: { index: i, term: this.term(i), confState } };
    return this.snap;
  }

  /** Discards entries before compactIndex; compactIndex becomes the dummy entry. */
  compact(compactIndex: number): void {
    const offset = this.ents[0].index;
    if (compactIndex <= offset) throw new CompactedError();
    if (compactIndex > this.lastIndex()) throw new RaftInvariantError(`compact ${compactIndex} is out of bound lastindex(${this.lastIndex()})`);
    const i = compactIndex - offset;
    const dummy: Entry = { term: this.ents[i].term, index: compactIndex, type: EntryType.EntryNormal, data: EMPTY_BYTES };
    this.ents = [dummy, ...this.ents.slice(i + 1)];
  }

  /** Appends persisted entries; entries at or after the first new index are replaced (conflict truncation). */
  append(entries: Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[0].index + entries.length - 1;
    if (last < first) return; // all already compacted
    if (first > entries[0].index) entries = entries.slice(first - entries[0].index);
    const offset = entries[0].index - this.ents[0].index;
    if (offset === this.ents.length) {
      for (let k = 0; k < entries.length; k++) this.ents.push(entries[k]);
    } else if (offset < this.ents.length) {
      this.ents.length = offset;
      for (let k = 0; k < entries.length; k++) this.ents.push(entries[k]);
    } else {
      throw new RaftInvariantError(`missing log entry [last: ${this.lastIndex()}, append at: ${entries[0].index}]`);
    }
  }
}
