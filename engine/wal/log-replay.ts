// Rebuilds the Raft log from decoded records, as etcd's ReadAll does: entries after the snapshot in
// index order, where an entry whose index repeats replaces the tail from that index on (a new leader
// overwrote an uncommitted suffix); the last HardState; the metadata (identical in every segment);
// and whether the snapshot we open at was recorded.
import { WalCorruptionError, WalError } from "./errors.ts";
import { decodeEntry, decodeHardState, decodeMetadata, decodeSnapshot } from "./payload.ts";
import { RecordType } from "./record.ts";
import type { Entry, HardState, ReadResult, Snapshot, WalMetadata } from "./types.ts";

export class LogReplay {
  readonly entries: Entry[] = [];
  hardState: HardState = { term: 0, vote: 0n, commit: 0 };
  metadata: WalMetadata | null = null;
  /** Highest index seen in an entry or snapshot record: the next segment is named after it. */
  lastIndex: number;
  private snapshotSeen = false;

  constructor(private readonly start: Snapshot) {
    this.lastIndex = start.index;
  }

  /** Applies one record; `file` and `offset` locate it for error messages. */
  apply(type: RecordType, payload: Uint8Array, file: string, offset: number): void {
    switch (type) {
      case RecordType.Entry:
        return this.entry(decodeEntry(payload), file, offset);
      case RecordType.State:
        this.hardState = decodeHardState(payload);
        return;
      case RecordType.Metadata:
        return this.meta(decodeMetadata(payload), file, offset);
      case RecordType.Snapshot:
        return this.snapshot(decodeSnapshot(payload), file, offset);
      case RecordType.Crc:
        return; // the segment decoder verifies the chain
    }
  }

  private entry(e: Entry, file: string, offset: number): void {
    this.lastIndex = e.index;
    if (e.index <= this.start.index) return;
    const pos = e.index - this.start.index - 1;
    if (pos > this.entries.length) {
      const have = this.start.index + this.entries.length;
      throw new WalError("entry-gap", `${file}@${offset}: entry ${e.index} follows entry ${have}; the log has a hole`);
    }
    this.entries.length = pos;
    this.entries.push(e);
  }

  private meta(m: WalMetadata, file: string, offset: number): void {
    if (this.metadata && (this.metadata.memberId !== m.memberId || this.metadata.clusterId !== m.clusterId)) {
      throw new WalCorruptionError(file, offset, "metadata differs from the earlier segments'");
    }
    this.metadata = m;
  }

  private snapshot(s: Snapshot, file: string, offset: number): void {
    if (s.index > this.lastIndex) this.lastIndex = s.index;
    if (s.index !== this.start.index) return;
    if (s.term !== this.start.term) {
      throw new WalError(
        "snapshot-mismatch",
        `${file}@${offset}: snapshot at index ${s.index} has term ${s.term}, expected ${this.start.term}`,
      );
    }
    this.snapshotSeen = true;
  }

  /** The replayed log; throws if the snapshot we opened at was never recorded. */
  result(dir: string): ReadResult {
    if (!this.snapshotSeen) {
      throw new WalError(
        "snapshot-not-found",
        `${dir}: no snapshot record for index ${this.start.index} term ${this.start.term}`,
      );
    }
    if (!this.metadata) throw new WalError("corrupt", `${dir}: no metadata record`);
    return { metadata: this.metadata, hardState: this.hardState, entries: this.entries };
  }
}
