// Leadership transfer (Raft thesis §3.10): the leader brings the target up to date, then sends
// MsgTimeoutNow; the target campaigns at once past the voters' leases. Proposals are refused meanwhile;
// an unfinished transfer is abandoned after an election timeout.
import { describe, expect, test } from "bun:test";
import { ProposalDroppedError } from "../../../engine/raft/errors.ts";
import { MessageType } from "../../../engine/raft/message.ts";
import { StateType } from "../../../engine/raft/role.ts";
import { Cluster, enc } from "./support/cluster.ts";

describe("leader transfer", () => {
  test("to an up-to-date follower: it becomes leader of the next term", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    const term = c.peer(1n).raft.term;
    c.peer(1n).node.transferLeader(2n);
    c.stabilize();
    expect(c.count(MessageType.MsgTimeoutNow)).toBe(1);
    expect(c.peer(2n).raft.state).toBe(StateType.StateLeader);
    expect(c.peer(2n).raft.term).toBe(term + 1);
    expect(c.peer(1n).raft.state).toBe(StateType.StateFollower);
  });

  test("to a lagging follower: it catches up first, then takes over with the whole log", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.isolate(3n);
    for (let i = 0; i < 5; i++) c.propose(1n, `v${i}`);
    c.heal();
    c.peer(1n).node.transferLeader(3n);
    expect(c.peer(1n).node.ready().messages.some((m) => m.type === MessageType.MsgTimeoutNow)).toBe(false);
    c.peer(1n).node.advance();
    c.tickAll(2);
    expect(c.peer(3n).raft.state).toBe(StateType.StateLeader);
    c.propose(3n, "after");
    c.tickAll(1);
    expect(c.peer(1n).appliedData()).toEqual(["v0", "v1", "v2", "v3", "v4", "after"]);
  });

  test("proposals are dropped while a transfer is in progress", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.isolate(3n);
    c.peer(1n).node.transferLeader(3n);
    expect(() => c.peer(1n).node.propose(enc("x"))).toThrow(ProposalDroppedError);
  });

  test("an unreachable target: the transfer is abandoned after an election timeout and proposals resume", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], electionTick: 10 });
    c.campaign(1n);
    c.isolate(3n);
    c.peer(1n).node.transferLeader(3n);
    c.stabilize();
    for (let i = 0; i < 10; i++) c.tick(1n);
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    expect(c.peer(1n).raft.leadTransferee).toBe(0n);
    c.propose(1n, "resumed");
    expect(c.peer(2n).raft.raftLog.lastIndex()).toBe(c.peer(1n).raft.raftLog.lastIndex());
  });

  test("a transfer requested on a follower is forwarded to the leader", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.peer(2n).node.transferLeader(2n);
    c.stabilize();
    expect(c.peer(2n).raft.state).toBe(StateType.StateLeader);
  });

  test("transfers to itself or to a learner are ignored", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], learners: [4n] });
    c.campaign(1n);
    c.peer(1n).node.transferLeader(1n);
    c.peer(1n).node.transferLeader(4n);
    c.stabilize();
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    expect(c.peer(1n).raft.leadTransferee).toBe(0n);
    expect(c.count(MessageType.MsgTimeoutNow)).toBe(0);
  });
});
