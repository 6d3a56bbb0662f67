import { expect, test } from "bun:test";
import { IndexRestorer } from "../../../engine/mvcc/index_restorer.ts";
import { keyValue } from "../../../engine/mvcc/key_value.ts";
import { revToBytes } from "../../../engine/mvcc/revision.ts";
import { TreeIndex } from "../../../engine/mvcc/tree_index.ts";

const b = (s: string) => new TextEncoder().encode(s);
const gens = (ti: TreeIndex, key: string) =>
  ti.keyIndex(b(key))?.generations().map((g) => `${g.created.main}/${g.ver}:${g.revs.map((r) => `${r.main}.${r.sub}`).join(" ")}`);

test("restore after compaction: first-seen keys start mid-generation, tombstones close them", () => {
  // A bucket compacted at 5: a was created at 2 and is at version 3 at rev 5. b's first entry is a
  // tombstone (compaction would not leave that, but a tombstone of an unseen key must be ignored).
  const entries: [number, number, boolean, ReturnType<typeof keyValue>][] = [
    [4, 0, true, keyValue({ key: b("b") })],
    [5, 0, false, keyValue({ key: b("a"), createRevision: 2, modRevision: 5, version: 3, value: b("v3") })],
    [6, 0, false, keyValue({ key: b("c"), createRevision: 6, modRevision: 6, version: 1 })],
    [7, 0, false, keyValue({ key: b("a"), createRevision: 2, modRevision: 7, version: 4 })],
    [7, 1, true, keyValue({ key: b("c") })],
    [8, 0, true, keyValue({ key: b("c") })], // c is not live: ignored like etcd ignores ErrRevisionNotFound
    [9, 0, false, keyValue({ key: b("c"), createRevision: 9, modRevision: 9, version: 1 })],
  ];
  const ti = new TreeIndex();
  const restorer = new IndexRestorer(ti);
  for (const [main, sub, tomb, kv] of entries) restorer.add(revToBytes({ main, sub }, tomb), kv);
  expect(restorer.currentRev).toBe(9);
  expect(ti.keyIndex(b("b"))).toBeUndefined();
  expect(gens(ti, "a")).toEqual(["2/4:5.0 7.0"]);
  expect(gens(ti, "c")).toEqual(["6/2:6.0 7.1", "9/1:9.0"]);
  expect(ti.get(b("a"), 6)).toEqual({ modified: { main: 5, sub: 0 }, created: { main: 2, sub: 0 }, version: 3 });
  expect(ti.get(b("c"), 8)).toBeUndefined();
});

test("a restored index equals the index built by the original writes", () => {
  const live = new TreeIndex();
  const restored = new TreeIndex();
  const restorer = new IndexRestorer(restored);
  const versions = new Map<string, [number, number]>(); // key → [created, version]
  let main = 1;
  for (let i = 0; i < 300; i++) {
    main++;
    const key = `k${(i * 7) % 23}`;
    const state = versions.get(key);
    if (state !== undefined && i % 5 === 0) {
      live.tombstone(b(key), { main, sub: 0 });
      restorer.add(revToBytes({ main, sub: 0 }, true), keyValue({ key: b(key) }));
      versions.delete(key);
      continue;
    }
    const [created, version] = state ?? [main, 0];
    versions.set(key, [created, version + 1]);
    live.put(b(key), { main, sub: 0 });
    restorer.add(revToBytes({ main, sub: 0 }), keyValue({ key: b(key), createRevision: created, modRevision: main, version: version + 1 }));
  }
  const dump = (ti: TreeIndex) => {
    const out: unknown[] = [];
    ti.forEach((ki) => {
      out.push([new TextDecoder().decode(ki.key), ki.generations()]);
    });
    return out;
  };
  expect(dump(restored)).toEqual(dump(live));
});
