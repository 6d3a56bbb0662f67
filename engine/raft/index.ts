// Public surface of the Raft module (engine/raft). The server imports from here only.
export { RaftNode, type Peer, type Status, type ProgressStatus } from "./node.ts";
export type { Ready } from "./ready.ts";
export type { ReadState, SoftState } from "./raft.ts";
export type { Config } from "./config.ts";
export type { Storage, InitialState } from "./storage.ts";
export { MemoryStorage } from "./memory_storage.ts";
export { MessageType, type Message, newMessage } from "./message.ts";
export { StateType } from "./role.ts";
export { ProgressState } from "./progress.ts";
export { encodeConfChange, decodeConfChange } from "./conf_change_codec.ts";
export {
  NONE,
  EntryType,
  ConfChangeType,
  type NodeId,
  type Entry,
  type HardState,
  type ConfState,
  type ConfChange,
  type Snapshot,
  type SnapshotMetadata,
  isEmptyHardState,
} from "./types.ts";
export * from "./errors.ts";
