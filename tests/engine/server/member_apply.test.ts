// Applying ConfChange entries as etcd's applyConfChange does: validated against the membership, then into
// Raft's configuration (a no-op when invalid) and the backend's member buckets; replay after a restart
// touches Raft only and never turns a refused promotion into a voter.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfChangeType, EntryType, MemoryStorage, RaftNode, encodeConfChange } from "../../../engine/raft/index.ts";
import { MvccStore } from "../../../engine/mvcc/store.ts";
import { applyConfChangeEntry, configAfterLog, replayConfChangeEntry } from "../../../engine/server/member_apply.ts";
import { Membership, memberJson, promoteContextJson } from "../../../engine/server/membership.ts";
import { rpctypes } from "../../../rpc/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-memberchange-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const SELF = 0xaan;
const L = 0xbbn;

function setup(name: string) {
  const store = MvccStore.open(join(dir, name));
  const membership = new Membership(store.backend);
  const node = new RaftNode({ id: SELF, storage: new MemoryStorage(), electionTick: 10, heartbeatTick: 1 });
  node.bootstrap([{ id: SELF }]);
  const apply = (type: ConfChangeType, nodeId: bigint, context?: string) =>
    applyConfChangeEntry(membership, node, SELF, { type, nodeId, context: context === undefined ? undefined : enc.encode(context) });
  apply(ConfChangeType.ConfChangeAddNode, SELF, memberJson({ id: SELF, name: "", peerURLs: ["http://a:2380"], clientURLs: [], isLearner: false }));
  membership.save({ ...membership.members.get(SELF)!, name: "default", clientURLs: ["http://a:2379"] });
  return { store, membership, node, apply };
}

const learnerJson = (urls: string[]) => memberJson({ id: L, name: "", peerURLs: urls, clientURLs: [], isLearner: true });

test("a learner is added, updated (etcd clears its learner flag), removed — in Raft and in the buckets", () => {
  const { store, membership, node, apply } = setup("db1");
  const added = apply(ConfChangeType.ConfChangeAddLearnerNode, L, learnerJson(["http://b:2380"]));
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [L] });
  expect(added).toEqual({ ok: membership.list() });
  expect(membership.list().map((m) => [m.id, m.name, m.isLearner])).toEqual([[SELF, "default", false], [L, "", true]]);

  apply(ConfChangeType.ConfChangeUpdateNode, L, memberJson({ id: L, name: "", peerURLs: ["http://c:2380"], clientURLs: [], isLearner: false }));
  expect(membership.members.get(L)).toEqual({ id: L, name: "", peerURLs: ["http://c:2380"], clientURLs: [], isLearner: false });
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [L] });
  // Updating this member keeps its published name and client URLs.
  apply(ConfChangeType.ConfChangeUpdateNode, SELF, memberJson({ id: SELF, name: "", peerURLs: ["http://a:2380", "http://a:2381"], clientURLs: [], isLearner: false }));
  expect(membership.members.get(SELF)).toEqual({ id: SELF, name: "default", peerURLs: ["http://a:2380", "http://a:2381"], clientURLs: ["http://a:2379"], isLearner: false });

  apply(ConfChangeType.ConfChangeRemoveNode, L);
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [] });
  store.close();
  const reopened = MvccStore.open(join(dir, "db1"));
  const loaded = new Membership(reopened.backend);
  loaded.load();
  expect([...loaded.members.keys()]).toEqual([SELF]);
  expect([...loaded.removed]).toEqual([L]);
  reopened.close();
});

test("an invalid change answers etcd's error and leaves Raft and the members as they were", () => {
  const { store, membership, node, apply } = setup("db2");
  const r = apply(ConfChangeType.ConfChangeAddLearnerNode, L, learnerJson(["http://a:2380"]));
  expect("err" in r && (r.err as Error).message).toContain(rpctypes.PeerURLExist.message);
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [] });
  expect([...membership.members.keys()]).toEqual([SELF]);
  const p = apply(ConfChangeType.ConfChangeAddNode, 0x1234n, promoteContextJson(0x1234n));
  expect("err" in p && (p.err as Error).message).toContain(rpctypes.MemberNotFound.message);
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [] });
  store.close();
});

test("a promotion makes the learner a voter", () => {
  const { store, membership, node, apply } = setup("db3");
  apply(ConfChangeType.ConfChangeAddLearnerNode, L, learnerJson(["http://b:2380"]));
  expect(promoteContextJson(L)).toBe(`{"id":${L},"peerURLs":null,"isPromote":true}`);
  apply(ConfChangeType.ConfChangeAddNode, L, promoteContextJson(L));
  expect(membership.members.get(L)!.isLearner).toBe(false);
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF, L], learners: [] });
  store.close();
});

test("replay: into Raft only; a promotion of a member Raft does not hold as a learner stays a no-op", () => {
  const node = new RaftNode({ id: SELF, storage: new MemoryStorage(), electionTick: 10, heartbeatTick: 1 });
  node.bootstrap([{ id: SELF }]);
  replayConfChangeEntry(node, { type: ConfChangeType.ConfChangeAddNode, nodeId: 0x1234n, context: enc.encode(promoteContextJson(0x1234n)) });
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [] });
  replayConfChangeEntry(node, { type: ConfChangeType.ConfChangeAddLearnerNode, nodeId: L, context: enc.encode(learnerJson(["http://b:2380"])) });
  replayConfChangeEntry(node, { type: ConfChangeType.ConfChangeAddNode, nodeId: L, context: enc.encode(promoteContextJson(L)) });
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF, L], learners: [] });
});

test("the configuration a log leads to (start-up, before replay): adds, removes; promotions and updates keep it", () => {
  const cc = (type: ConfChangeType, nodeId: bigint, context?: string) => ({
    term: 1, index: 0, type: EntryType.EntryConfChange, data: encodeConfChange({ type, nodeId, context: context ? enc.encode(context) : undefined }),
  });
  const normal = { term: 1, index: 0, type: EntryType.EntryNormal, data: new Uint8Array(0) };
  const log = [
    cc(ConfChangeType.ConfChangeAddLearnerNode, L, learnerJson(["http://b:2380"])), normal,
    cc(ConfChangeType.ConfChangeAddNode, 0x1234n, promoteContextJson(0x1234n)),
    cc(ConfChangeType.ConfChangeUpdateNode, 0x5678n, memberJson({ id: 0x5678n, name: "", peerURLs: [], clientURLs: [], isLearner: false })),
    cc(ConfChangeType.ConfChangeAddLearnerNode, 0xccn, memberJson({ id: 0xccn, name: "", peerURLs: [], clientURLs: [], isLearner: true })),
    cc(ConfChangeType.ConfChangeRemoveNode, 0xccn),
  ];
  expect(configAfterLog({ voters: [SELF], learners: [] }, log).sort()).toEqual([SELF, L]);
  expect(configAfterLog({ voters: [SELF], learners: [] }, [])).toEqual([SELF]);
});

test("a change the members already show (etcd wrote them before its consistent index) still reaches Raft", () => {
  const { store, membership, node, apply } = setup("db4");
  membership.save({ id: L, name: "", peerURLs: ["http://b:2380"], clientURLs: [], isLearner: true });
  expect(apply(ConfChangeType.ConfChangeAddLearnerNode, L, learnerJson(["http://b:2380"]))).toEqual({ ok: membership.list() });
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [L] });
  membership.remove(L);
  expect(apply(ConfChangeType.ConfChangeRemoveNode, L)).toEqual({ ok: membership.list() });
  expect(node.raft.tracker.confState()).toEqual({ voters: [SELF], learners: [] });
  store.close();
});
