// Public surface of the write-ahead log module.
export { Wal, walExists, DEFAULT_SEGMENT_BYTES, type WalOptions, type WalStats } from "./wal.ts";
export { WalError, WalCorruptionError, type WalErrorCode } from "./errors.ts";
export type { Entry, EntryType, HardState, ConfState, Snapshot, WalMetadata, ReadResult } from "./types.ts";
export { isEmptyHardState, EMPTY_HARD_STATE } from "./types.ts";
