// Test support: persisting and applying a Ready the way the server will (persist, send, apply, advance),
// against a MemoryStorage standing in for the WAL. Conf-change entries are applied to the node.
import { MemoryStorage } from "../../../../engine/raft/memory_storage.ts";
import { RaftNode } from "../../../../engine/raft/node.ts";
import type { Ready } from "../../../../engine/raft/ready.ts";
import { decodeConfChange } from "../../../../engine/raft/conf_change_codec.ts";
import type { Message } from "../../../../engine/raft/message.ts";
import { type ConfState, type Entry, EntryType, type Snapshot } from "../../../../engine/raft/types.ts";

/** Step 1 of a Ready: make its snapshot, entries and HardState durable. */
export function persistReady(storage: MemoryStorage, rd: Ready): void {
  if (rd.snapshot !== null) storage.applySnapshot(rd.snapshot);
  storage.append(rd.entries);
  if (rd.hardState !== null) storage.setHardState(rd.hardState);
}

export interface Applier {
  /** Called with each committed entry, in order (conf changes are applied to the node first). */
  entry?(e: Entry): void;
  snapshot?(s: Snapshot): void;
}

/** Step 3: apply the snapshot and committed entries; conf changes go to the node. Returns the latest ConfState. */
export function applyReady(node: RaftNode, rd: Ready, applier: Applier = {}): ConfState | null {
  let cs: ConfState | null = null;
  if (rd.snapshot !== null) {
    applier.snapshot?.(rd.snapshot);
    cs = rd.snapshot.metadata.confState;
  }
  for (const e of rd.committedEntries) {
    if (e.type === EntryType.EntryConfChange) cs = node.applyConfChange(decodeConfChange(e.data));
    applier.entry?.(e);
  }
  return cs;
}

/** Runs one full Ready cycle and returns the messages to send. */
export function cycle(node: RaftNode, storage: MemoryStorage, applier: Applier = {}): { rd: Ready; msgs: Message[] } {
  const rd = node.ready();
  persistReady(storage, rd);
  applyReady(node, rd, applier);
  node.advance();
  return { rd, msgs: rd.messages };
}
