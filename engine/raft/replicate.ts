// Leader-side sending: MsgApp (or MsgSnap when the follower needs compacted entries) driven by each
// follower's Progress, and heartbeats. Invariant: nothing is sent to a paused follower, and a follower in
// replicate state never has more than maxInflightMsgs unacknowledged MsgApps.
import { MessageType, newMessage } from "./message.ts";
import { ProgressState } from "./progress.ts";
import type { Raft } from "./raft.ts";
import { SnapshotTemporarilyUnavailableError } from "./errors.ts";
import type { NodeId } from "./types.ts";

/** Sends the entries `to` is missing (or a snapshot); with sendIfEmpty, also an empty MsgApp carrying commit. */
export function maybeSendAppend(r: Raft, to: NodeId, sendIfEmpty: boolean): boolean {
  const pr = r.tracker.progress.get(to);
  if (pr === undefined || pr.isPaused()) return false;
  const log = r.raftLog;
  if (pr.next < log.firstIndex()) return sendSnapshot(r, to);
  const ents = log.entriesFrom(pr.next, r.maxMsgSize);
  if (ents.length === 0 && !sendIfEmpty) return false;
  const prevIndex = pr.next - 1;
  const m = newMessage(MessageType.MsgApp, { to, index: prevIndex, logTerm: log.term(prevIndex), entries: ents, commit: log.committed });
  const n = ents.length;
  if (n !== 0) {
    if (pr.state === ProgressState.Replicate) {
      const last = ents[n - 1].index;
      pr.optimisticUpdate(last);
      pr.inflights.add(last);
    } else if (pr.state === ProgressState.Probe) {
      pr.probeSent = true;
    }
  }
  r.send(m);
  return true;
}

function sendSnapshot(r: Raft, to: NodeId): boolean {
  const pr = r.tracker.progress.get(to)!;
  // Only to followers we heard from recently: a snapshot is expensive.
  if (!pr.recentActive) return false;
  let snapshot;
  try {
    snapshot = r.raftLog.snapshot();
  } catch (e) {
    if (e instanceof SnapshotTemporarilyUnavailableError) return false;
    throw e;
  }
  if (snapshot.metadata.index === 0) throw new Error("need non-empty snapshot");
  pr.becomeSnapshot(snapshot.metadata.index);
  r.send(newMessage(MessageType.MsgSnap, { to, snapshot }));
  return true;
}

export function sendAppend(r: Raft, to: NodeId): void {
  maybeSendAppend(r, to, true);
}

/** Sends new entries (or at least the commit index) to every member but ourselves. */
export function bcastAppend(r: Raft): void {
  const prs = r.tracker.progress;
  if (prs.size <= 1 && prs.has(r.id)) return; // single member: nobody to send to
  for (const id of prs.keys()) if (id !== r.id) sendAppend(r, id);
}

export function sendHeartbeat(r: Raft, to: NodeId, context: Uint8Array | null): void {
  // Never tell a follower to commit past what it is known to have: it may not have those entries.
  const pr = r.tracker.progress.get(to)!;
  const commit = Math.min(pr.match, r.raftLog.committed);
  r.send(newMessage(MessageType.MsgHeartbeat, { to, commit, context }));
}

/** Heartbeats everyone; they carry the newest pending read request's context so acks confirm it. */
export function bcastHeartbeat(r: Raft): void {
  bcastHeartbeatWithContext(r, r.readOnly.lastPendingContext());
}

export function bcastHeartbeatWithContext(r: Raft, context: Uint8Array | null): void {
  for (const id of r.tracker.progress.keys()) if (id !== r.id) sendHeartbeat(r, id, context);
}

export function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send(newMessage(MessageType.MsgTimeoutNow, { to }));
}

