// Member JSON is Go's json.Marshal of etcd's Member (exact uint64 ids), and members round-trip through the
// backend buckets etcd uses.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MvccStore } from "../../../engine/mvcc/store.ts";
import { Membership, memberJson, parseInitialCluster, parseMemberJson } from "../../../engine/server/membership.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-members-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("member JSON matches etcd's encoding and keeps 64-bit ids exact", () => {
  const m = { id: 0x8e9e05c52164694dn, name: "default", peerURLs: ["http://localhost:2380"], clientURLs: ["http://localhost:2379"], isLearner: false };
  const json = memberJson(m);
  expect(json).toBe('{"id":10276657743932975437,"peerURLs":["http://localhost:2380"],"name":"default","clientURLs":["http://localhost:2379"]}');
  expect(parseMemberJson(json)).toEqual(m);
  // An unpublished member (etcd's bootstrap context) has no name or client URLs.
  expect(memberJson({ ...m, name: "", clientURLs: [] })).toBe('{"id":10276657743932975437,"peerURLs":["http://localhost:2380"]}');
});

test("members, removals and the cluster version persist in etcd's buckets", () => {
  const path = join(dir, "db");
  let store = MvccStore.open(path);
  let ms = new Membership(store.backend);
  ms.save({ id: 1n, name: "a", peerURLs: ["http://127.0.0.1:1"], clientURLs: [], isLearner: false });
  ms.save({ id: 0xffffffffffffffffn, name: "b", peerURLs: ["http://127.0.0.1:2"], clientURLs: [], isLearner: true });
  ms.remove(1n);
  ms.setClusterVersion("3.4.0");
  store.close();
  store = MvccStore.open(path);
  ms = new Membership(store.backend);
  ms.load();
  expect([...ms.members.keys()]).toEqual([0xffffffffffffffffn]);
  expect(ms.members.get(0xffffffffffffffffn)!.isLearner).toBe(true);
  expect([...ms.removed]).toEqual([1n]);
  expect(ms.clusterVersion).toBe("3.4.0");
  store.close();
});

test("--initial-cluster parses into names and peer URLs", () => {
  expect(parseInitialCluster("a=http://1:1,b=http://2:2,a=http://1:3")).toEqual(
    new Map([["a", ["http://1:1", "http://1:3"]], ["b", ["http://2:2"]]]),
  );
  expect(() => parseInitialCluster("nourl")).toThrow("is not in the form name=url");
});
