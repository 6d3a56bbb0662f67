// Plain data types the WAL persists: Raft log entries and HardState (the Raft module's types), snapshot
// markers and the per-WAL metadata.
// Invariant: terms and indexes are non-negative integers below 2^53 (`number`); member and cluster
// ids are 64-bit (`bigint`).

// Entries, HardState and ConfState are the Raft module's own shapes (as etcd's wal persists raftpb types).
import type { ConfState, Entry, HardState } from "../raft/types.ts";
export type { ConfState, Entry, HardState } from "../raft/types.ts";
export type { EntryType } from "../raft/types.ts";

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
