// Snapshots: a follower that needs compacted entries gets the leader's snapshot, restores from it and
// continues from the log; snapshot failures are reported and retried; a restart resumes from a snapshot.
import { describe, expect, test } from "bun:test";
import { MessageType } from "../../../engine/raft/message.ts";
import { ProgressState } from "../../../engine/raft/progress.ts";
import { RaftNode } from "../../../engine/raft/node.ts";
import { Cluster, enc } from "./support/cluster.ts";

function compact(c: Cluster, id: bigint): number {
  const p = c.peer(id);
  const applied = p.raft.raftLog.applied;
  p.storage.createSnapshot(applied, p.raft.tracker.confState(), enc(`state@${applied}`));
  p.storage.compact(applied);
  return applied;
}

describe("snapshots", () => {
  test("a lagging follower catches up from the leader's snapshot, then from the log", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.isolate(3n);
    for (let i = 0; i < 20; i++) c.propose(1n, `v${i}`);
    const snapIndex = compact(c, 1n);
    c.heal();
    c.tickAll(3);
    expect(c.count(MessageType.MsgSnap)).toBe(1);
    const f = c.peer(3n);
    expect(f.storage.snapshot().metadata.index).toBe(snapIndex);
    expect(f.storage.snapshot().data).toEqual(enc(`state@${snapIndex}`));
    expect(f.raft.raftLog.firstIndex()).toBe(snapIndex + 1);
    c.propose(1n, "after");
    c.tickAll(1);
    expect(f.appliedData()).toEqual(["after"]); // earlier data came inside the snapshot
    expect(f.raft.raftLog.committed).toBe(c.peer(1n).raft.raftLog.committed);
  });

  test("the leader keeps the follower in snapshot state until the snapshot is reported, and retries on failure", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.isolate(3n);
    for (let i = 0; i < 5; i++) c.propose(1n, `v${i}`);
    compact(c, 1n);
    c.heal();
    c.filter = (m) => m.type !== MessageType.MsgSnap; // the snapshot is lost in transit
    c.tickAll(1);
    const pr = c.peer(1n).raft.tracker.progress.get(3n)!;
    expect(pr.state).toBe(ProgressState.Snapshot);
    const sent = c.count(MessageType.MsgSnap);
    c.tickAll(3);
    expect(pr.state).toBe(ProgressState.Snapshot); // paused: no second snapshot without a report
    c.peer(1n).node.reportSnapshot(3n, true);
    expect(pr.state).toBe(ProgressState.Probe);
    c.filter = null;
    c.tickAll(3);
    expect(c.count(MessageType.MsgSnap)).toBe(sent + 1); // the retry got through
    expect(c.peer(3n).raft.raftLog.lastIndex()).toBe(c.peer(1n).raft.raftLog.lastIndex());
  });

  test("a snapshot older than the follower's commit index is ignored", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    for (let i = 0; i < 5; i++) c.propose(1n, `v${i}`);
    c.tickAll(1);
    const f = c.peer(2n);
    const committed = f.raft.raftLog.committed;
    const old = c.peer(1n).storage.snapshot(); // index 1
    f.node.step({ ...f.node.ready().messages[0], type: MessageType.MsgSnap, from: 1n, to: 2n, term: f.raft.term, snapshot: old, entries: [] });
    f.node.advance();
    expect(f.raft.raftLog.committed).toBe(committed);
    expect(f.raft.raftLog.unstable.snapshot).toBeNull();
  });

  test("a node restarts from a compacted storage: snapshot index, later entries, HardState", () => {
    const c = new Cluster({ voters: [1n] });
    c.campaign(1n);
    for (let i = 0; i < 10; i++) c.propose(1n, `v${i}`);
    const p = c.peer(1n);
    const snapIndex = compact(c, 1n);
    c.propose(1n, "tail");
    const node = new RaftNode({ id: 1n, storage: p.storage });
    expect(node.raft.raftLog.firstIndex()).toBe(snapIndex + 1);
    expect(node.raft.raftLog.applied).toBe(snapIndex);
    const rd = node.ready();
    expect(rd.committedEntries.map((e) => new TextDecoder().decode(e.data))).toEqual(["tail"]);
  });
});
