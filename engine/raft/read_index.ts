// Leader-side linearizable reads (ReadIndex, Raft thesis §6.4): record the commit index, confirm
// leadership with a heartbeat round acknowledged by a quorum, then answer. A single voter answers at
// once. Reads arriving before the leader committed an entry of its own term wait until it has.
import { type Message, MessageType, newMessage } from "./message.ts";
import type { Raft } from "./raft.ts";
import { bcastHeartbeatWithContext } from "./replicate.ts";
import { VoteResult } from "./tracker.ts";
import { NONE } from "./types.ts";

export function handleReadIndexAsLeader(r: Raft, m: Message): void {
  if (!r.committedEntryInCurrentTerm()) {
    r.pendingReadIndexMessages.push(m);
    return;
  }
  answerOrConfirm(r, m);
}

function answerOrConfirm(r: Raft, m: Message): void {
  if (r.tracker.isSingleton()) {
    respond(r, m, r.raftLog.committed);
    return;
  }
  const ctx = m.entries[0].data;
  r.readOnly.addRequest(r.raftLog.committed, m);
  r.readOnly.recvAck(r.id, ctx);
  bcastHeartbeatWithContext(r, ctx);
}

/** A heartbeat response carrying a read context arrived: answer every read confirmed by a quorum. */
export function handleReadIndexAck(r: Raft, m: Message): void {
  if (m.context === null || m.context.length === 0) return;
  const acks = r.readOnly.recvAck(m.from, m.context);
  if (acks === null || r.tracker.voteResult((id) => (acks.has(id) ? true : undefined)) !== VoteResult.Won) return;
  for (const rs of r.readOnly.advance(m.context)) respond(r, rs.req, rs.index);
}

function respond(r: Raft, req: Message, index: number): void {
  if (req.from === NONE || req.from === r.id) {
    r.readStates.push({ index, requestCtx: req.entries[0].data });
  } else {
    r.send(newMessage(MessageType.MsgReadIndexResp, { to: req.from, index, entries: req.entries }));
  }
}

/** Called once the leader commits in its term: handles the reads that were waiting for that. */
export function releasePendingReadIndexMessages(r: Raft): void {
  if (r.pendingReadIndexMessages.length === 0 || !r.committedEntryInCurrentTerm()) return;
  const waiting = r.pendingReadIndexMessages;
  r.pendingReadIndexMessages = [];
  for (const m of waiting) answerOrConfirm(r, m);
}
