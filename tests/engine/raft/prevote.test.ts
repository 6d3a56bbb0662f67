// PreVote (Raft thesis §9.6): a node cut off from the cluster keeps failing pre-elections without raising
// its term, so when it returns it does not depose the healthy leader. Without PreVote, it would.
import { describe, expect, test } from "bun:test";
import { MessageType } from "../../../engine/raft/message.ts";
import { StateType } from "../../../engine/raft/role.ts";
import { Cluster } from "./support/cluster.ts";

function partitionedNodeReturns(preVote: boolean): Cluster {
  const c = new Cluster({ voters: [1n, 2n, 3n], preVote, checkQuorum: false });
  c.campaign(1n);
  c.isolate(3n);
  for (let i = 0; i < 100; i++) c.tick(3n); // several election timeouts alone
  c.heal();
  c.tickAll(3);
  return c;
}

describe("PreVote", () => {
  test("a partitioned node does not raise its term and does not disrupt the leader when it returns", () => {
    const c = partitionedNodeReturns(true);
    expect(c.count(MessageType.MsgVote)).toBe(1 * 2); // only the initial election's two requests
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    expect(c.peer(3n).raft.lead).toBe(1n);
    expect(c.peer(3n).raft.term).toBe(c.peer(1n).raft.term);
  });

  test("without PreVote the same node comes back with a higher term and forces a new election", () => {
    const c = partitionedNodeReturns(false);
    const termsSeen = c.peer(1n).raft.term;
    expect(termsSeen).toBeGreaterThan(3);
    expect(c.peer(1n).raft.state === StateType.StateLeader && c.peer(1n).raft.term === 2).toBe(false);
  });

  test("pre-votes do not change the voters' term or vote", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.peer(1n).node.campaign();
    const pre = c.peer(1n).node.ready().messages;
    expect(pre.every((m) => m.type === MessageType.MsgPreVote && m.term === 2)).toBe(true);
    c.peer(1n).node.advance();
    c.peer(2n).node.step(pre.find((m) => m.to === 2n)!);
    expect(c.peer(2n).raft.term).toBe(1);
    expect(c.peer(2n).raft.vote).toBe(0n);
    const resp = c.peer(2n).node.ready().messages[0];
    expect(resp.type).toBe(MessageType.MsgPreVoteResp);
    expect(resp.reject).toBe(false);
  });
});
