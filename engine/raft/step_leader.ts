// How a leader handles each message: proposals, replication acknowledgements (commit rule, flow control,
// fast back-off), heartbeat responses (ReadIndex confirmation), CheckQuorum, snapshot reports and
// leadership transfer. Invariant: only voters' acknowledgements move the commit index, and only to an
// entry of the leader's own term (Raft §5.4.2).
import { type Message, MessageType } from "./message.ts";
import { ProgressState } from "./progress.ts";
import type { Raft } from "./raft.ts";
import { handleReadIndexAck, handleReadIndexAsLeader, releasePendingReadIndexMessages } from "./read_index.ts";
import { bcastAppend, bcastHeartbeat, maybeSendAppend, sendAppend, sendTimeoutNow } from "./replicate.ts";
import { StateType } from "./role.ts";
import { EntryType, NONE } from "./types.ts";

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.MsgBeat:
      bcastHeartbeat(r);
      return;
    case MessageType.MsgCheckQuorum:
      checkQuorum(r);
      return;
    case MessageType.MsgProp:
      propose(r, m);
      return;
    case MessageType.MsgReadIndex:
      handleReadIndexAsLeader(r, m);
      return;
  }
  const pr = r.tracker.progress.get(m.from);
  if (pr === undefined) return; // not (or no longer) a member
  switch (m.type) {
    case MessageType.MsgAppResp:
      pr.recentActive = true;
      if (m.reject) handleAppendRejection(r, m);
      else handleAppendAck(r, m);
      return;
    case MessageType.MsgHeartbeatResp:
      pr.recentActive = true;
      pr.probeSent = false;
      // Free one slot of a full window so a lost MsgApp cannot stall the follower forever.
      if (pr.state === ProgressState.Replicate && pr.inflights.full()) pr.inflights.freeFirstOne();
      if (pr.match < r.raftLog.lastIndex()) sendAppend(r, m.from);
      handleReadIndexAck(r, m);
      return;
    case MessageType.MsgSnapStatus:
      if (pr.state !== ProgressState.Snapshot) return;
      // On failure forget the snapshot so probing restarts from match, not from the snapshot index.
      if (m.reject) pr.pendingSnapshot = 0;
      pr.becomeProbe();
      // Wait for the follower's MsgAppResp (or a heartbeat round on failure) before the next MsgApp.
      pr.probeSent = true;
      return;
    case MessageType.MsgUnreachable:
      // A MsgApp was probably lost while streaming: fall back to probing.
      if (pr.state === ProgressState.Replicate) pr.becomeProbe();
      return;
    case MessageType.MsgTransferLeader:
      transferLeadership(r, m.from);
      return;
  }
}

function checkQuorum(r: Raft): void {
  const self = r.tracker.progress.get(r.id);
  if (self !== undefined) self.recentActive = true;
  if (!r.tracker.quorumActive()) {
    r.becomeFollower(r.term, NONE);
    return;
  }
  for (const [id, pr] of r.tracker.progress) if (id !== r.id) pr.recentActive = false;
}

function propose(r: Raft, m: Message): void {
  if (m.entries.length === 0) throw new Error("stepped empty MsgProp");
  if (!r.tracker.progress.has(r.id)) return r.dropProposal("raft proposal dropped: leader is not a member");
  if (r.leadTransferee !== NONE) return r.dropProposal("raft proposal dropped: leadership transfer in progress");
  // Entries forwarded by a follower are copied: appending stamps term and index into them, and the
  // message object may be shared (a duplicate delivery, an in-process transport).
  const ents = m.from === r.id ? m.entries : m.entries.map((e) => ({ ...e }));
  for (let i = 0; i < ents.length; i++) {
    if (ents[i].type !== EntryType.EntryConfChange) continue;
    if (r.pendingConfIndex > r.raftLog.applied) {
      // One membership change at a time: the refused change becomes a no-op entry (as in etcd).
      ents[i] = { term: 0, index: 0, type: EntryType.EntryNormal, data: new Uint8Array(0) };
    } else {
      r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
    }
  }
  r.appendEntries(ents);
  bcastAppend(r);
}

function handleAppendRejection(r: Raft, m: Message): void {
  const pr = r.tracker.progress.get(m.from)!;
  // The follower's hint (rejectHint, logTerm) names its last entry that could match; skip every index
  // of ours whose term is above the hint's term too, so one round trip skips a whole divergent term.
  let nextProbe = m.rejectHint;
  if (m.logTerm > 0) nextProbe = r.raftLog.findConflictByTerm(m.rejectHint, m.logTerm)[0];
  if (pr.maybeDecrTo(m.index, nextProbe)) {
    if (pr.state === ProgressState.Replicate) pr.becomeProbe();
    sendAppend(r, m.from);
  }
}

function handleAppendAck(r: Raft, m: Message): void {
  const pr = r.tracker.progress.get(m.from)!;
  const wasPaused = pr.isPaused();
  if (!pr.maybeUpdate(m.index)) return;
  if (pr.state === ProgressState.Probe) {
    pr.becomeReplicate();
  } else if (pr.state === ProgressState.Snapshot && pr.match >= pr.pendingSnapshot) {
    pr.becomeProbe();
    pr.becomeReplicate();
  } else if (pr.state === ProgressState.Replicate) {
    pr.inflights.freeLE(m.index);
  }
  if (r.maybeCommit()) {
    releasePendingReadIndexMessages(r);
    bcastAppend(r);
  } else if (wasPaused) {
    // It may have missed the latest commit index while paused.
    sendAppend(r, m.from);
  }
  // The window may have opened: send what fits, without empty commit-only messages.
  while (r.state === StateType.StateLeader && maybeSendAppend(r, m.from, false)) {
    /* keep filling the window */
  }
  if (m.from === r.leadTransferee && pr.match === r.raftLog.lastIndex()) sendTimeoutNow(r, m.from);
}

function transferLeadership(r: Raft, target: bigint): void {
  const pr = r.tracker.progress.get(target)!;
  if (pr.isLearner) return;
  if (r.leadTransferee !== NONE) {
    if (r.leadTransferee === target) return; // already transferring there
    r.leadTransferee = NONE;
  }
  if (target === r.id) return;
  // The transfer must finish within an election timeout (tickHeartbeat abandons it).
  r.electionElapsed = 0;
  r.leadTransferee = target;
  if (pr.match === r.raftLog.lastIndex()) sendTimeoutNow(r, target);
  else sendAppend(r, target);
}
