// How a follower handles each message: forwards proposals, reads and transfer requests to the leader,
// accepts replication from it, answers MsgTimeoutNow by campaigning at once. Any message from the
// current leader resets the election timer.
import { type Message, MessageType } from "./message.ts";
import type { Raft } from "./raft.ts";
import { receiveFromLeader } from "./receive_append.ts";
import { CampaignKind } from "./role.ts";
import { NONE } from "./types.ts";

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.MsgProp:
    case MessageType.MsgTransferLeader:
    case MessageType.MsgReadIndex:
      if (r.lead === NONE) return r.dropProposal(`raft ${MessageType[m.type]} dropped: no leader`);
      forwardToLeader(r, m);
      return;
    case MessageType.MsgApp:
    case MessageType.MsgHeartbeat:
    case MessageType.MsgSnap:
      r.electionElapsed = 0;
      r.lead = m.from;
      receiveFromLeader(r, m);
      return;
    case MessageType.MsgTimeoutNow:
      // The leader chose us: campaign now, skipping PreVote and overriding voters' leases.
      if (r.promotable()) r.campaign(CampaignKind.Transfer);
      return;
    case MessageType.MsgReadIndexResp:
      if (m.entries.length !== 1) return;
      r.readStates.push({ index: m.index, requestCtx: m.entries[0].data });
      return;
  }
}

function forwardToLeader(r: Raft, m: Message): void {
  // A forwarded request keeps its term 0: the leader treats it like a local one.
  r.send({ ...m, to: r.lead, term: 0 });
}
