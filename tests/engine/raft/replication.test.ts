// Log replication (Raft §5.3): commit and apply everywhere in order, repair of conflicting follower logs,
// fast back-off on rejection, probe/replicate flow control with a bounded in-flight window.
import { describe, expect, test } from "bun:test";
import { MessageType } from "../../../engine/raft/message.ts";
import { ProgressState } from "../../../engine/raft/progress.ts";
import { Cluster } from "./support/cluster.ts";

function logOf(c: Cluster, id: bigint): string[] {
  const log = c.peer(id).raft.raftLog;
  return log.slice(log.firstIndex(), log.lastIndex() + 1, Infinity).map((e) => `${e.index}/${e.term}/${new TextDecoder().decode(e.data)}`);
}

describe("replication", () => {
  test("proposals commit and apply on every node in proposal order", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    for (let i = 0; i < 10; i++) c.propose(i % 2 === 0 ? 1n : 2n, `v${i}`); // 2 forwards to the leader
    c.tickAll(1); // heartbeat carries the final commit index to followers
    const want = Array.from({ length: 10 }, (_, i) => `v${i}`);
    for (const id of [1n, 2n, 3n]) expect(c.peer(id).appliedData()).toEqual(want);
  });

  test("a follower's conflicting uncommitted entries are replaced by the leader's", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], checkQuorum: false });
    c.campaign(1n);
    c.propose(1n, "common");
    c.isolate(1n);
    for (let i = 0; i < 5; i++) c.propose(1n, `orphan${i}`); // only in 1's log
    c.campaign(2n);
    c.propose(2n, "new");
    c.heal();
    c.tickAll(2);
    expect(c.peer(1n).raft.lead).toBe(2n);
    expect(logOf(c, 1n)).toEqual(logOf(c, 2n));
    expect(logOf(c, 3n)).toEqual(logOf(c, 2n));
    expect(c.peer(1n).appliedData()).toEqual(["common", "new"]);
  });

  test("fast back-off: a long divergent tail is skipped in a few rejections, not one per entry", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], checkQuorum: false, maxSizePerMsg: 1 });
    c.campaign(1n);
    c.isolate(1n);
    for (let i = 0; i < 50; i++) c.propose(1n, `orphan${i}`);
    c.campaign(2n);
    for (let i = 0; i < 60; i++) c.propose(2n, `new${i}`);
    // A fresh leader (3) starts probing 1 at its own last index, far beyond 1's divergent tail.
    c.campaign(3n);
    c.heal();
    const before = c.delivered.length;
    c.tickAll(3);
    const rejections = c.delivered.slice(before).filter((m) => m.type === MessageType.MsgAppResp && m.reject && m.from === 1n);
    expect(rejections.length).toBeGreaterThan(0);
    expect(rejections.length).toBeLessThanOrEqual(2);
    expect(logOf(c, 1n)).toEqual(logOf(c, 3n));
  });

  test("probe state sends one MsgApp at a time until the follower answers", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], maxSizePerMsg: 1 });
    c.campaign(1n);
    c.cutLink(1n, 3n);
    const pr = c.peer(1n).raft.tracker.progress.get(3n)!;
    c.peer(1n).node.reportUnreachable(3n); // replicate -> probe
    expect(pr.state).toBe(ProgressState.Probe);
    for (let i = 0; i < 5; i++) c.peer(1n).node.propose(new TextEncoder().encode(`p${i}`));
    const sent = c.peer(1n).node.ready().messages.filter((m) => m.to === 3n && m.type === MessageType.MsgApp);
    expect(sent.length).toBe(1);
    expect(pr.probeSent).toBe(true);
  });

  test("replicate state keeps at most maxInflightMsgs MsgApps unacknowledged", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], maxSizePerMsg: 1, maxInflightMsgs: 3 });
    c.campaign(1n);
    const pr = c.peer(1n).raft.tracker.progress.get(2n)!;
    expect(pr.state).toBe(ProgressState.Replicate);
    c.filter = (m) => !(m.type === MessageType.MsgAppResp && m.from === 2n);
    const before = c.delivered.length;
    for (let i = 0; i < 10; i++) c.propose(1n, `p${i}`);
    const toTwo = c.delivered.slice(before).filter((m) => m.type === MessageType.MsgApp && m.to === 2n && m.entries.length > 0);
    expect(toTwo.length).toBe(3);
    expect(pr.inflights.full()).toBe(true);
    // Acks free the window and the rest streams out.
    c.filter = null;
    c.tickAll(3);
    expect(c.peer(2n).raft.raftLog.lastIndex()).toBe(c.peer(1n).raft.raftLog.lastIndex());
  });

  test("heartbeats carry the commit index, clamped to what the follower is known to hold", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.propose(1n, "x");
    c.tickAll(1);
    const hbs = c.delivered.filter((m) => m.type === MessageType.MsgHeartbeat);
    const last = hbs[hbs.length - 1];
    expect(last.commit).toBe(c.peer(1n).raft.raftLog.committed);
    expect(c.peer(3n).raft.raftLog.committed).toBe(c.peer(1n).raft.raftLog.committed);
  });
});
