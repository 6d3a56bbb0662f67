// Plain data types the WAL persists: Raft log entries, Raft HardState, snapshot markers and the
// per-WAL metadata. Structurally simple so the server can pass the Raft module's objects through.
// Invariant: terms and indexes are non-negative integers below 2^53 (`number`); member and cluster
// ids are 64-bit (`bigint`).

/** Raft entry type: 0 = normal, 1 = configuration change. */
export type EntryType = 0 | 1;

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

/** Raft's persistent state. `vote` is a member id (0n = none). */
export interface HardState {
  term: number;
  vote: bigint;
  commit: number;
}

export interface ConfState {
  voters: bigint[];
  learners: bigint[];
}

/** Marks the point a Raft snapshot was taken; `open` positions after one of these. */
export interface Snapshot {
  index: number;
  term: number;
  confState?: ConfState;
}

/** Identity of the member that owns the WAL; written first in every segment file. */
export interface WalMetadata {
  memberId: bigint;
  clusterId: bigint;
}

/** What `readAll` returns: the metadata, the last HardState and the entries after the snapshot. */
export interface ReadResult {
  metadata: WalMetadata;
  hardState: HardState;
  entries: Entry[];
}

export const EMPTY_HARD_STATE: Readonly<HardState> = Object.freeze({ term: 0, vote: 0n, commit: 0 });

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === 0n && hs.commit === 0;
}
