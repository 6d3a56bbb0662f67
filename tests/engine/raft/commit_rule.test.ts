// The commit rule (Raft §5.4.2, Figure 8): a leader never commits an entry of an earlier term by counting
// replicas, because a later leader could still overwrite it; it commits it only indirectly, through an
// entry of its own term.
import { describe, expect, test } from "bun:test";
import { MessageType } from "../../../engine/raft/message.ts";
import { StateType } from "../../../engine/raft/role.ts";
import { Cluster } from "./support/cluster.ts";

const termAt = (c: Cluster, id: bigint, i: number) => c.peer(id).raft.raftLog.term(i);

describe("commit only in the current term", () => {
  test("figure 8: an old-term entry on a majority is not committed, and is safely overwritten", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n, 4n, 5n], checkQuorum: false, preVote: false, maxSizePerMsg: 1 });
    // (a) 1 leads term t0 and gets "a" (index 3) onto 2 only.
    c.campaign(1n);
    const t0 = c.peer(1n).raft.term;
    const idx = c.peer(1n).raft.raftLog.lastIndex() + 1;
    c.partition([1n, 2n], [3n, 4n, 5n]);
    c.propose(1n, "a");
    expect(termAt(c, 2n, idx)).toBe(t0);
    // (b) 1 crashes; 5 wins term t0+1 with 3 and 4 but its entry at idx never leaves it.
    c.crash(1n);
    c.heal();
    c.filter = (m) => !(m.type === MessageType.MsgApp && m.from === 5n);
    c.campaign(5n);
    expect(c.peer(5n).raft.state).toBe(StateType.StateLeader);
    expect(termAt(c, 5n, idx)).toBe(t0 + 1);
    // (c) 5 crashes; 1 restarts and wins a later term, then copies "a" (term t0) to 3: a majority (1, 2, 3) holds it.
    c.crash(5n);
    c.restart(1n);
    // Entries of 1's own term (index idx + 1) are held back, so only the old entry can be counted.
    c.filter = (m) => {
      if (m.type === MessageType.MsgApp && m.from === 1n) m.entries = m.entries.filter((e) => e.index <= idx);
      return true;
    };
    c.campaign(1n);
    if (c.peer(1n).raft.state !== StateType.StateLeader) c.campaign(1n); // first try may learn a newer term
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    c.tickAll(3);
    for (const id of [1n, 2n, 3n]) expect(termAt(c, id, idx)).toBe(t0);
    const progress = c.peer(1n).raft.tracker.progress;
    expect([...progress.values()].filter((p) => p.match >= idx).length).toBeGreaterThanOrEqual(3);
    expect(c.peer(1n).raft.raftLog.committed).toBeLessThan(idx);
    // (d) 1 crashes; 5 restarts and wins again (its last term t0+1 beats their t0) and overwrites index idx.
    c.crash(1n);
    c.restart(5n);
    c.filter = null;
    c.campaign(5n);
    if (c.peer(5n).raft.state !== StateType.StateLeader) c.campaign(5n);
    expect(c.peer(5n).raft.state).toBe(StateType.StateLeader);
    c.tickAll(2);
    for (const id of [2n, 3n, 4n, 5n]) expect(termAt(c, id, idx)).toBe(t0 + 1);
    // Nobody ever applied "a": it was never committed.
    for (const p of c.peers.values()) expect(p.appliedData()).not.toContain("a");
  });

  test("the old-term entry commits together with the first entry of the new leader's term", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], checkQuorum: false });
    c.campaign(1n);
    c.isolate(3n);
    c.cutLink(1n, 2n);
    c.propose(1n, "old"); // only on 1
    const idx = c.peer(1n).raft.raftLog.lastIndex();
    c.crash(1n);
    c.restart(1n);
    c.heal();
    c.campaign(1n); // new term: the empty entry carries "old" to a quorum and commits both
    expect(c.peer(1n).raft.state).toBe(StateType.StateLeader);
    expect(c.peer(1n).raft.raftLog.committed).toBeGreaterThan(idx);
    expect(c.peer(1n).appliedData()).toEqual(["old"]);
  });
});
