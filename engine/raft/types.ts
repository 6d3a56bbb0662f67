// Plain data shapes of the Raft module: log entries, HardState, ConfState, snapshots, conf changes.
// Invariants: term and index are non-negative integers below 2^53; node ids are uint64 as bigint, 0n = none.
// Shapes mirror etcd raftpb so the WAL (engine/wal) and a peer transport can pass them through unchanged.

/** A member id. etcd member ids are random 64-bit values, so they are bigints end to end; 0n means "none". */
export type NodeId = bigint;
export const NONE: NodeId = 0n;

/** raftpb.EntryType. */
export enum EntryType {
  EntryNormal = 0,
  EntryConfChange = 1,
}

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

/** What must survive a crash besides the log: current term, vote in that term, commit index. */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

/** The voting and non-voting members of a configuration. */
export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface SnapshotMetadata {
  index: number;
  term: number;
  confState: ConfState;
}

/** A state-machine snapshot covering the log up to and including metadata.index. */
export interface Snapshot {
  data: Uint8Array;
  metadata: SnapshotMetadata;
}

/** raftpb.ConfChangeType. UpdateNode changes nothing in Raft (the application's member data only). */
export enum ConfChangeType {
  ConfChangeAddNode = 0,
  ConfChangeRemoveNode = 1,
  ConfChangeUpdateNode = 2,
  ConfChangeAddLearnerNode = 3,
}

/** raftpb.ConfChange: one membership change. Adding a node that is a learner promotes it. */
export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
  /** Opaque to Raft; etcd stores the member's JSON here. */
  context?: Uint8Array;
  /** raftpb.ConfChange.ID, opaque to Raft (etcd uses it to match the waiting request). */
  id?: bigint;
}

export const EMPTY_BYTES = new Uint8Array(0);

export function emptyHardState(): HardState {
  return { term: 0, vote: NONE, commit: 0 };
}

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === NONE && hs.commit === 0;
}

export function emptySnapshot(): Snapshot {
  return { data: EMPTY_BYTES, metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } } };
}

/** Approximate encoded size of an entry, used for message and Ready size limits. */
export function entrySize(e: Entry): number {
  return e.data.byteLength + 24;
}
