// The one-voter cluster, the server's first deployment: a proposal commits as soon as it is persisted
// (advance()), with no message and no tick; proposals batch into one Ready; reads are answered at once.
import { describe, expect, test } from "bun:test";
import { MemoryStorage } from "../../../engine/raft/memory_storage.ts";
import { RaftNode } from "../../../engine/raft/node.ts";
import { StateType } from "../../../engine/raft/role.ts";
import { EntryType } from "../../../engine/raft/types.ts";
import { cycle, persistReady } from "./support/apply.ts";
import { enc } from "./support/cluster.ts";

function bootstrapped(): { node: RaftNode; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  const node = new RaftNode({ id: 1n, storage });
  node.bootstrap([{ id: 1n, context: enc("member-1") }]);
  cycle(node, storage); // persists and applies the bootstrap conf change
  node.campaign();
  expect(node.raft.state).toBe(StateType.StateLeader);
  while (node.hasReady()) cycle(node, storage); // the leader's empty entry commits
  return { node, storage };
}

describe("single voter", () => {
  test("bootstrap writes one committed ConfChange entry per peer, applied from the first Ready", () => {
    const storage = new MemoryStorage();
    const node = new RaftNode({ id: 1n, storage });
    node.bootstrap([{ id: 1n }]);
    const rd = node.ready();
    expect(rd.entries.map((e) => [e.index, e.term, e.type])).toEqual([[1, 1, EntryType.EntryConfChange]]);
    expect(rd.committedEntries.map((e) => e.index)).toEqual([1]);
    expect(rd.hardState).toEqual({ term: 1, vote: 0n, commit: 1 });
    expect(rd.mustSync).toBe(true);
  });

  test("cannot campaign before the bootstrap conf change is applied", () => {
    const storage = new MemoryStorage();
    const node = new RaftNode({ id: 1n, storage });
    node.bootstrap([{ id: 1n }]);
    node.campaign();
    expect(node.raft.state).toBe(StateType.StateFollower);
  });

  test("a proposal commits on advance() after persisting: no message, no tick", () => {
    const { node, storage } = bootstrapped();
    node.propose(enc("x"));
    const rd1 = node.ready();
    expect(rd1.entries.map((e) => e.data)).toEqual([enc("x")]);
    expect(rd1.committedEntries).toEqual([]);
    expect(rd1.messages).toEqual([]);
    expect(rd1.mustSync).toBe(true);
    persistReady(storage, rd1);
    node.advance();
    expect(node.hasReady()).toBe(true);
    const rd2 = node.ready();
    expect(rd2.committedEntries.map((e) => e.data)).toEqual([enc("x")]);
    expect(rd2.hardState!.commit).toBe(rd1.entries[0].index);
    expect(rd2.mustSync).toBe(false); // only the commit index changed
    expect(rd2.messages).toEqual([]);
    node.advance();
    expect(node.hasReady()).toBe(false);
  });

  test("nothing commits until the application reports the entries persisted", () => {
    const { node } = bootstrapped();
    const before = node.raft.raftLog.committed;
    node.propose(enc("x"));
    node.ready();
    for (let i = 0; i < 50; i++) node.tick();
    expect(node.raft.raftLog.committed).toBe(before);
  });

  test("many proposals between two ready() calls land in one Ready, in order", () => {
    const { node, storage } = bootstrapped();
    for (let i = 0; i < 100; i++) node.propose(enc(`p${i}`));
    const rd = node.ready();
    expect(rd.entries.length).toBe(100);
    expect(rd.entries.map((e) => new TextDecoder().decode(e.data))).toEqual(Array.from({ length: 100 }, (_, i) => `p${i}`));
    persistReady(storage, rd);
    node.advance();
    expect(node.ready().committedEntries.length).toBe(100);
  });

  test("proposals made between ready() and advance() go to the next Ready and do not alter the outstanding one", () => {
    const { node, storage } = bootstrapped();
    node.propose(enc("a"));
    const rd1 = node.ready();
    node.propose(enc("b"));
    expect(rd1.entries.length).toBe(1);
    persistReady(storage, rd1);
    node.advance();
    const rd2 = node.ready();
    expect(rd2.entries.map((e) => e.data)).toEqual([enc("b")]);
    expect(rd2.committedEntries.map((e) => e.data)).toEqual([enc("a")]);
  });

  test("ready() twice without advance() is refused", () => {
    const { node } = bootstrapped();
    node.propose(enc("a"));
    node.ready();
    expect(() => node.ready()).toThrow();
  });

  test("readIndex is answered at once with the commit index", () => {
    const { node } = bootstrapped();
    node.readIndex(enc("ctx1"));
    const rd = node.ready();
    expect(rd.readStates).toEqual([{ index: node.raft.raftLog.committed, requestCtx: enc("ctx1") }]);
    expect(rd.messages).toEqual([]);
  });

  test("a read before the leader commits in its term waits for that commit", () => {
    const storage = new MemoryStorage();
    const node = new RaftNode({ id: 1n, storage });
    node.bootstrap([{ id: 1n }]);
    cycle(node, storage);
    node.campaign(); // appends the empty entry, not yet persisted
    node.readIndex(enc("early"));
    const rd = node.ready();
    expect(rd.readStates).toEqual([]);
    persistReady(storage, rd);
    node.advance();
    const rd2 = node.ready();
    expect(rd2.readStates).toEqual([{ index: rd.entries[rd.entries.length - 1].index, requestCtx: enc("early") }]);
  });

  test("restart from storage keeps term, vote, log and commit", () => {
    const { node, storage } = bootstrapped();
    node.propose(enc("kept"));
    while (node.hasReady()) cycle(node, storage);
    const hs = node.raft.hardState();
    // Membership is rebuilt from the snapshot's ConfState plus the conf changes re-applied after it,
    // so a restart re-delivers committed entries after the snapshot (the server skips re-executing them).
    const restarted = new RaftNode({ id: 1n, storage });
    expect(restarted.raft.hardState()).toEqual(hs);
    expect(restarted.raft.raftLog.lastIndex()).toBe(node.raft.raftLog.lastIndex());
    const { rd } = cycle(restarted, storage);
    expect(rd.committedEntries.length).toBe(hs.commit);
    restarted.campaign();
    expect(restarted.raft.state).toBe(StateType.StateLeader);
    expect(restarted.raft.term).toBe(hs.term + 1);
  });
});
