// Membership changes, one at a time, taking effect when applied: add voter, remove voter, add learner,
// promote learner. Learners receive the log but never vote in the quorum count or campaign.
import { describe, expect, test } from "bun:test";
import { ProposalDroppedError } from "../../../engine/raft/errors.ts";
import { StateType } from "../../../engine/raft/role.ts";
import { type ConfChange, ConfChangeType } from "../../../engine/raft/types.ts";
import { Cluster } from "./support/cluster.ts";

function change(c: Cluster, leader: bigint, cc: ConfChange): void {
  c.peer(leader).node.proposeConfChange(cc);
  c.stabilize();
  c.tickAll(1); // followers learn the commit and apply it too
}

/** Compacts the leader's log into a snapshot of the current configuration, as the server does before sending one. */
function snapshotNow(c: Cluster, id: bigint): void {
  const p = c.peer(id);
  p.storage.createSnapshot(p.raft.raftLog.applied, p.raft.tracker.confState(), new Uint8Array(0));
}

const voters = (c: Cluster, id: bigint) => c.peer(id).raft.tracker.confState().voters;
const learners = (c: Cluster, id: bigint) => c.peer(id).raft.tracker.confState().learners;

describe("membership", () => {
  test("add a voter: it catches up from empty and the quorum grows", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.propose(1n, "before");
    change(c, 1n, { type: ConfChangeType.ConfChangeAddNode, nodeId: 4n });
    expect(voters(c, 1n)).toEqual([1n, 2n, 3n, 4n]);
    snapshotNow(c, 1n);
    c.addEmptyPeer(4n);
    c.tickAll(3);
    // It starts from the leader's snapshot (which holds "before") and follows the log from there.
    expect(c.peer(4n).storage.snapshot().metadata.index).toBeGreaterThan(1);
    expect(c.peer(4n).raft.raftLog.committed).toBe(c.peer(1n).raft.raftLog.committed);
    expect(voters(c, 4n)).toEqual([1n, 2n, 3n, 4n]);
    // 4 voters: quorum 3. With 3 and 4 cut off, 1 and 2 cannot commit.
    c.isolate(3n);
    c.isolate(4n);
    const committed = c.peer(1n).raft.raftLog.committed;
    c.propose(1n, "needs3");
    expect(c.peer(1n).raft.raftLog.committed).toBe(committed);
  });

  test("remove a voter: the remaining two commit on their own", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    change(c, 1n, { type: ConfChangeType.ConfChangeRemoveNode, nodeId: 3n });
    expect(voters(c, 1n)).toEqual([1n, 2n]);
    c.crash(3n);
    c.propose(1n, "two");
    expect(c.peer(2n).raft.raftLog.committed).toBeGreaterThan(0);
    c.tickAll(1);
    expect(c.peer(2n).appliedData()).toEqual(["two"]);
  });

  test("a learner receives the log but does not count toward the quorum", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], learners: [4n] });
    c.campaign(1n);
    c.propose(1n, "a");
    c.tickAll(1);
    expect(c.peer(4n).appliedData()).toEqual(["a"]);
    // Leader + learner only: no quorum of voters, nothing commits.
    c.isolate(2n);
    c.isolate(3n);
    const committed = c.peer(1n).raft.raftLog.committed;
    c.propose(1n, "b");
    expect(c.peer(4n).raft.raftLog.lastIndex()).toBe(c.peer(1n).raft.raftLog.lastIndex());
    expect(c.peer(1n).raft.raftLog.committed).toBe(committed);
  });

  test("a learner never campaigns", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], learners: [4n] });
    c.isolate(1n);
    c.isolate(2n);
    c.isolate(3n);
    for (let i = 0; i < 100; i++) c.tick(4n);
    expect(c.peer(4n).raft.state).toBe(StateType.StateFollower);
    expect(c.peer(4n).raft.term).toBe(1);
  });

  test("add a learner, then promote it to voter", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    change(c, 1n, { type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 4n });
    snapshotNow(c, 1n);
    c.addEmptyPeer(4n);
    c.tickAll(3);
    expect(learners(c, 1n)).toEqual([4n]);
    expect(learners(c, 4n)).toEqual([4n]);
    change(c, 1n, { type: ConfChangeType.ConfChangeAddNode, nodeId: 4n });
    expect(voters(c, 1n)).toEqual([1n, 2n, 3n, 4n]);
    expect(learners(c, 1n)).toEqual([]);
    c.tickAll(2);
    expect(voters(c, 4n)).toEqual([1n, 2n, 3n, 4n]);
    expect(c.peer(4n).raft.promotable()).toBe(true);
  });

  test("only one change may be pending: a second proposal before the first is applied is refused", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.peer(1n).node.proposeConfChange({ type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 4n });
    expect(() => c.peer(1n).node.proposeConfChange({ type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 5n })).toThrow(
      ProposalDroppedError,
    );
    c.stabilize();
    c.peer(1n).node.proposeConfChange({ type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 5n });
    c.stabilize();
    expect(learners(c, 1n)).toEqual([4n, 5n]);
  });

  test("a change forwarded by a follower while one is pending becomes a no-op entry", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.isolate(1n);
    c.peer(1n).node.proposeConfChange({ type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 4n }); // cannot commit yet
    c.heal();
    c.peer(2n).node.proposeConfChange({ type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: 5n });
    c.stabilize();
    c.tickAll(2);
    expect(learners(c, 1n)).toEqual([4n]);
  });

  test("removing the leader makes it step down; the others elect a new leader", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    change(c, 1n, { type: ConfChangeType.ConfChangeRemoveNode, nodeId: 1n });
    expect(c.peer(1n).raft.state).toBe(StateType.StateFollower);
    c.crash(1n);
    c.tickAll(40);
    const leader = c.leader();
    expect(leader).not.toBeNull();
    expect([2n, 3n]).toContain(leader!.id);
    c.propose(leader!.id, "after");
    c.tickAll(1);
    expect(c.peer(2n).appliedData()).toEqual(["after"]);
  });
});
