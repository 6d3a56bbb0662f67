// Leader election (Raft §5.2, §5.4.1): a single leader per term, split votes resolved by randomized
// timeouts, votes only for up-to-date logs, stale leaders stepping down, CheckQuorum.
import { describe, expect, test } from "bun:test";
import { MessageType, newMessage } from "../../../engine/raft/message.ts";
import { StateType } from "../../../engine/raft/role.ts";
import { Cluster } from "./support/cluster.ts";

const ids = [1n, 2n, 3n];

describe("election", () => {
  test("a campaigning node with a quorum of votes becomes leader and others follow it", () => {
    const c = new Cluster({ voters: ids });
    c.campaign(1n);
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    for (const id of [2n, 3n]) {
      expect(c.peer(id).raft.state).toBe(StateType.StateFollower);
      expect(c.peer(id).raft.lead).toBe(1n);
      expect(c.peer(id).raft.term).toBe(c.peer(1n).raft.term);
    }
  });

  test("a node times out and elects itself within [election, 2*election) ticks", () => {
    const c = new Cluster({ voters: ids, electionTick: 10 });
    let ticks = 0;
    while (c.leader() === null && ticks < 100) {
      c.tickAll();
      ticks++;
    }
    expect(c.leader()).not.toBeNull();
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(ticks).toBeLessThan(20);
  });

  test("randomized election timeout is within [election, 2*election)", () => {
    const c = new Cluster({ voters: ids, electionTick: 10 });
    const r = c.peer(1n).raft;
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      r.becomeFollower(r.term + 1, 0n);
      expect(r.randomizedElectionTimeout).toBeGreaterThanOrEqual(10);
      expect(r.randomizedElectionTimeout).toBeLessThan(20);
      seen.add(r.randomizedElectionTimeout);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  test("split vote: two candidates in the same term, neither wins, a later election does", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n, 4n], preVote: false });
    // 1 and 2 campaign at the same time; 3 votes for 1, 4 for 2: 2 votes each, no majority of 4.
    c.filter = (m) => !(m.type === MessageType.MsgVote && ((m.from === 1n && m.to === 4n) || (m.from === 2n && m.to === 3n)));
    c.peer(1n).node.campaign();
    c.peer(2n).node.campaign();
    c.stabilize();
    expect(c.peer(1n).raft.state).toBe(StateType.StateCandidate);
    expect(c.peer(2n).raft.state).toBe(StateType.StateCandidate);
    expect(c.peer(1n).raft.term).toBe(c.peer(2n).raft.term);
    expect(c.leader()).toBeNull();
    const splitTerm = c.peer(1n).raft.term;
    c.filter = null;
    let ticks = 0;
    while (c.leader() === null && ticks < 100) {
      c.tickAll();
      ticks++;
    }
    const leader = c.leader();
    expect(leader).not.toBeNull();
    expect(leader!.raft.term).toBeGreaterThan(splitTerm);
  });

  test("a node grants at most one vote per term", () => {
    const c = new Cluster({ voters: ids, preVote: false });
    const r3 = c.peer(3n).raft;
    const term = r3.term + 1;
    const vote = (from: bigint) =>
      c.peer(3n).node.step(newMessage(MessageType.MsgVote, { from, to: 3n, term, index: 1, logTerm: 1 }));
    vote(1n);
    vote(2n);
    const resps = c.peer(3n).node.ready().messages.filter((m) => m.type === MessageType.MsgVoteResp);
    expect(resps.map((m) => [m.to, m.reject])).toEqual([
      [1n, false],
      [2n, true],
    ]);
    expect(r3.vote).toBe(1n);
  });

  test("a candidate whose log is behind cannot win (election restriction §5.4.1)", () => {
    const c = new Cluster({ voters: ids });
    c.campaign(1n);
    c.isolate(3n);
    c.propose(1n, "a");
    c.heal();
    // 3 misses "a"; with PreVote its pre-vote is refused, so it never even bumps its term.
    c.crash(1n);
    const before = c.peer(3n).raft.term;
    c.peer(3n).node.campaign();
    c.stabilize();
    expect(c.peer(3n).raft.state).not.toBe(StateType.StateLeader);
    expect(c.peer(3n).raft.term).toBe(before);
    // 2 has the entry and wins.
    c.peer(2n).node.campaign();
    c.stabilize();
    expect(c.peer(2n).raft.state).toBe(StateType.StateLeader);
  });

  test("a stale leader steps down when it sees a higher term", () => {
    const c = new Cluster({ voters: ids, checkQuorum: false });
    c.campaign(1n);
    c.isolate(1n);
    c.campaign(2n);
    expect(c.peer(2n).raft.state).toBe(StateType.StateLeader);
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader); // does not know yet
    c.heal();
    c.tickAll(2); // heartbeats of the new leader reach the old one
    expect(c.peer(1n).raft.state).toBe(StateType.StateFollower);
    expect(c.peer(1n).raft.lead).toBe(2n);
    expect(c.leader()!.id).toBe(2n);
  });

  test("CheckQuorum: a leader that hears from no quorum for an election timeout steps down", () => {
    const c = new Cluster({ voters: ids, electionTick: 10 });
    c.campaign(1n);
    c.isolate(1n);
    for (let i = 0; i < 10; i++) c.tick(1n);
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    for (let i = 0; i < 10; i++) c.tick(1n);
    expect(c.peer(1n).raft.state).toBe(StateType.StateFollower);
  });

  test("CheckQuorum lease: followers ignore vote requests while their leader is alive", () => {
    const c = new Cluster({ voters: ids, preVote: false });
    c.campaign(1n);
    const term = c.peer(1n).raft.term;
    c.peer(3n).node.campaign(); // 3 thinks the leader is gone; 2 still hears from 1
    c.stabilize();
    expect(c.peer(2n).raft.term).toBe(term);
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
  });

  test("a single voter elects itself on campaign without any message", () => {
    const c = new Cluster({ voters: [1n] });
    c.peer(1n).node.campaign();
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    expect(c.peer(1n).node.ready().messages).toEqual([]);
  });
});
