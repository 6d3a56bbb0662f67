// Linearizable reads with ReadIndex (Raft thesis §6.4): the leader confirms leadership with a quorum
// heartbeat round before answering; followers forward; a partitioned leader cannot answer; a new leader
// defers reads until it has committed an entry of its term.
import { describe, expect, test } from "bun:test";
import { ProposalDroppedError } from "../../../engine/raft/errors.ts";
import { MessageType } from "../../../engine/raft/message.ts";
import { Cluster, enc } from "./support/cluster.ts";

describe("ReadIndex", () => {
  test("the leader answers after a heartbeat round acknowledged by a quorum, at its commit index", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.propose(1n, "x");
    const commit = c.peer(1n).raft.raftLog.committed;
    c.peer(1n).node.readIndex(enc("r1"));
    const hb = c.peer(1n).node.ready().messages.filter((m) => m.type === MessageType.MsgHeartbeat);
    expect(hb.length).toBe(2);
    expect(hb.every((m) => new TextDecoder().decode(m.context!) === "r1")).toBe(true);
    expect(c.peer(1n).readStates).toEqual([]);
    c.peer(1n).node.advance();
    for (const m of hb) c.peer(m.to).node.step(m);
    c.stabilize();
    expect(c.peer(1n).readStates).toEqual([{ index: commit, requestCtx: enc("r1") }]);
  });

  test("a follower's read is forwarded to the leader and answered on the follower", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.propose(1n, "x");
    c.peer(2n).node.readIndex(enc("f1"));
    c.stabilize();
    expect(c.peer(2n).readStates).toEqual([{ index: c.peer(1n).raft.raftLog.committed, requestCtx: enc("f1") }]);
    expect(c.peer(1n).readStates).toEqual([]);
  });

  test("a leader cut off from the quorum never answers; the majority side serves reads with newer data", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n], checkQuorum: false });
    c.campaign(1n);
    c.isolate(1n);
    c.campaign(2n);
    c.propose(2n, "new");
    c.peer(1n).node.readIndex(enc("stale"));
    c.tickAll(5);
    expect(c.peer(1n).readStates).toEqual([]);
    c.peer(3n).node.readIndex(enc("fresh"));
    c.stabilize();
    expect(c.peer(3n).readStates.map((r) => r.index)).toEqual([c.peer(2n).raft.raftLog.committed]);
    c.heal();
    c.tickAll(3);
    expect(c.peer(1n).readStates).toEqual([]);
  });

  test("a new leader defers reads until it commits an entry of its own term", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.filter = (m) => m.type !== MessageType.MsgAppResp;
    c.campaign(1n);
    c.peer(1n).node.readIndex(enc("early"));
    c.stabilize();
    expect(c.peer(1n).raft.committedEntryInCurrentTerm()).toBe(false);
    expect(c.peer(1n).readStates).toEqual([]);
    expect(c.delivered.some((m) => m.type === MessageType.MsgHeartbeat && m.context !== null)).toBe(false);
    c.filter = null;
    c.tickAll(2);
    expect(c.peer(1n).readStates.map((r) => new TextDecoder().decode(r.requestCtx))).toEqual(["early"]);
    expect(c.peer(1n).readStates[0].index).toBe(c.peer(1n).raft.raftLog.committed);
  });

  test("readIndex with no known leader throws ProposalDroppedError", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    expect(() => c.peer(2n).node.readIndex(enc("x"))).toThrow(ProposalDroppedError);
  });

  test("one quorum ack confirms every earlier pending read too", () => {
    const c = new Cluster({ voters: [1n, 2n, 3n] });
    c.campaign(1n);
    c.isolate(1n);
    c.peer(1n).node.readIndex(enc("a"));
    c.peer(1n).node.readIndex(enc("b"));
    c.stabilize();
    c.heal();
    c.tickAll(1); // the heartbeat carries the newest context, "b"
    expect(c.peer(1n).readStates.map((r) => new TextDecoder().decode(r.requestCtx))).toEqual(["a", "b"]);
  });
});
