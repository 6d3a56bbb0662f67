// Follower side of replication: AppendEntries (with the conflict hint for fast back-off), heartbeats and
// InstallSnapshot. Invariants: a committed entry is never overwritten; the commit index only moves to
// entries known to match the leader's log.
import { type Message, MessageType, newMessage } from "./message.ts";
import type { Raft } from "./raft.ts";
import { restoreConfState } from "./membership.ts";
import type { Snapshot } from "./types.ts";

/** Dispatches MsgApp, MsgHeartbeat or MsgSnap from the current leader. */
export function receiveFromLeader(r: Raft, m: Message): void {
  if (m.type === MessageType.MsgApp) handleAppendEntries(r, m);
  else if (m.type === MessageType.MsgHeartbeat) handleHeartbeat(r, m);
  else handleSnapshot(r, m);
}

export function handleAppendEntries(r: Raft, m: Message): void {
  const log = r.raftLog;
  if (m.index < log.committed) {
    // Everything up to our commit index is known to match; tell the leader where we are.
    r.send(newMessage(MessageType.MsgAppResp, { to: m.from, index: log.committed }));
    return;
  }
  const lastNew = log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
  if (lastNew >= 0) {
    r.send(newMessage(MessageType.MsgAppResp, { to: m.from, index: lastNew }));
    return;
  }
  // Reject, hinting the last index that could match: at most our last index, and of a term <= m.logTerm.
  const [hintIndex, hintTerm] = log.findConflictByTerm(Math.min(m.index, log.lastIndex()), m.logTerm);
  r.send(newMessage(MessageType.MsgAppResp, { to: m.from, index: m.index, reject: true, rejectHint: hintIndex, logTerm: hintTerm }));
}

export function handleHeartbeat(r: Raft, m: Message): void {
  r.raftLog.commitTo(m.commit);
  r.send(newMessage(MessageType.MsgHeartbeatResp, { to: m.from, context: m.context }));
}

export function handleSnapshot(r: Raft, m: Message): void {
  const s = m.snapshot!;
  const index = restoreSnapshot(r, s) ? r.raftLog.lastIndex() : r.raftLog.committed;
  r.send(newMessage(MessageType.MsgAppResp, { to: m.from, index }));
}

/** Replaces the log with snapshot s if it is news to us; returns whether it did. */
export function restoreSnapshot(r: Raft, s: Snapshot): boolean {
  const meta = s.metadata;
  const log = r.raftLog;
  if (meta.index <= log.committed) return false;
  const cs = meta.confState;
  // A snapshot whose configuration does not include us is not meant for us.
  if (!cs.voters.includes(r.id) && !cs.learners.includes(r.id)) return false;
  if (log.matchTerm(meta.index, meta.term)) {
    // We already have the entries: just fast-forward the commit index.
    log.commitTo(meta.index);
    return false;
  }
  log.restore(s);
  restoreConfState(r, cs);
  return true;
}
