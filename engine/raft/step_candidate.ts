// How a candidate or pre-candidate handles each message: tallies (pre-)votes, yields to a leader of its
// term, drops proposals. A pre-candidate that wins starts the real election; one that loses returns to
// follower without having changed its term.
import { type Message, MessageType } from "./message.ts";
import type { Raft } from "./raft.ts";
import { bcastAppend } from "./replicate.ts";
import { receiveFromLeader } from "./receive_append.ts";
import { CampaignKind, StateType } from "./role.ts";
import { VoteResult } from "./tracker.ts";
import { NONE } from "./types.ts";

export function stepCandidate(r: Raft, m: Message): void {
  // Only responses to our own kind of request count (a late MsgPreVoteResp must not elect a candidate).
  const myResponse = r.state === StateType.StatePreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
  switch (m.type) {
    case MessageType.MsgProp:
    case MessageType.MsgReadIndex:
    case MessageType.MsgTransferLeader:
      return r.dropProposal(`raft ${MessageType[m.type]} dropped: election in progress`);
    case MessageType.MsgApp:
    case MessageType.MsgHeartbeat:
    case MessageType.MsgSnap:
      // A leader of our term exists: it won this election.
      r.becomeFollower(m.term, m.from);
      receiveFromLeader(r, m);
      return;
    case myResponse: {
      const result = r.poll(m.from, !m.reject);
      if (result === VoteResult.Won) {
        if (r.state === StateType.StatePreCandidate) {
          r.campaign(CampaignKind.Election);
        } else {
          r.becomeLeader();
          bcastAppend(r);
        }
      } else if (result === VoteResult.Lost) {
        // A rejection carries the term of the rejecter; a pre-vote loss keeps our term.
        r.becomeFollower(r.term, NONE);
      }
      return;
    }
  }
}
