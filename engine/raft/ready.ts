// Ready: one batch of work Raft hands the application. Process it in this order, then call advance():
//   1. persist `snapshot` (if any), append `entries` and save `hardState` (fsync when mustSync);
//   2. send `messages` (followers' acknowledgements are only true once step 1 is durable);
//   3. apply `snapshot` and then `committedEntries` to the state machine; serve `readStates` once the
//      applied index reaches their index.
// A leader counts its own log toward a quorum only after advance(), so sending a leader's messages before
// its own fsync is also safe.
import type { Message } from "./message.ts";
import type { ReadState, SoftState } from "./raft.ts";
import type { Entry, HardState, Snapshot } from "./types.ts";

export interface Ready {
  /** Leader and role, when they changed since the last Ready (volatile, not persisted). */
  softState: SoftState | null;
  /** Term, vote and commit to persist, when they changed since the last Ready. */
  hardState: HardState | null;
  /** Answers to readIndex() calls. */
  readStates: ReadState[];
  /** Entries to append to stable storage (may replace a conflicting tail). */
  entries: Entry[];
  /** A snapshot received from the leader, to persist and apply. */
  snapshot: Snapshot | null;
  /** Entries committed and not yet handed out, to apply in order. */
  committedEntries: Entry[];
  /** Messages to send once entries and hardState are persisted. */
  messages: Message[];
  /** Whether the write of entries/hardState must be fsynced (entries appended, or term or vote changed). */
  mustSync: boolean;
}
