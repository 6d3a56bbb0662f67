// Batching, consistent index, restart and the on-disk schema: what a crash would leave (a copy of the file
// taken while the store is open = its last commit), commits on the limit and the timer, consistent_index
// committed with the changes it accounts for, a compaction interrupted by close resuming on open, and the
// file checked and read back by the real bbolt with etcd's schema.
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeKeyValue } from "../../../engine/mvcc/key_value.ts";
import { bytesToRev, isTombstone } from "../../../engine/mvcc/revision.ts";
import { decodeUint64 } from "../../../engine/mvcc/schema.ts";
import { MvccStore, type StoreOptions } from "../../../engine/mvcc/store.ts";
import { bboltCheck, bboltDump, bboltHelper } from "../../support/bbolt.ts";

const dir = mkdtempSync(join(tmpdir(), "mvcc-batch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const dec = new TextDecoder();
const b = (s: string) => enc.encode(s);
let n = 0;
const fresh = () => join(dir, `s-${n++}.db`);

/** Opens a copy of the file as it is on disk now (what a crash would leave) and reports its state. */
function crashCopy(path: string): { rev: number; index: number; keys: string[] } {
  const copy = `${path}.crash-${n++}`;
  copyFileSync(path, copy);
  const s = MvccStore.open(copy, { noSync: true, batch: { interval: 0 } });
  try {
    const keys = s.range({ key: new Uint8Array([0]), rangeEnd: new Uint8Array([0]) }).kvs.map((kv) => dec.decode(kv.key));
    return { rev: s.currentRevision, index: s.consistentIndex().index, keys };
  } finally {
    s.close();
  }
}

test("the batch commits at the limit, at an entry boundary, with consistent_index in the same commit", () => {
  const path = fresh();
  const s = MvccStore.open(path, { noSync: true, batch: { interval: 0, limit: 10 } });
  for (let i = 1; i <= 9; i++) s.put({ key: b(`k${i}`), value: b("v") }, { index: 100 + i, term: 3 });
  expect(crashCopy(path)).toEqual({ rev: 1, index: 0, keys: [] }); // nothing committed yet: readers still see all
  expect(s.range({ key: b("k"), rangeEnd: b("l") }).count).toBe(9);
  s.put({ key: b("k10"), value: b("v") }, { index: 110, term: 3 });
  const after = crashCopy(path);
  expect([after.rev, after.index, after.keys.length]).toEqual([11, 110, 10]);
  // an entry applied through several calls is never split by a limit commit
  s.applyEntry({ index: 111, term: 3 }, () => {
    for (let i = 0; i < 25; i++) s.put({ key: b(`m${i}`), value: b("v") });
    expect(crashCopy(path).index).toBe(110);
  });
  const whole = crashCopy(path);
  expect([whole.index, whole.keys.filter((k) => k.startsWith("m")).length]).toEqual([111, 25]);
  s.close();
});

test("the batch commits on its timer, on commit(), and entries without changes still record the index", async () => {
  const path = fresh();
  const s = MvccStore.open(path, { noSync: true, batch: { interval: 20, limit: 1_000_000 } });
  s.put({ key: b("a"), value: b("1") }, { index: 7, term: 1 });
  await Bun.sleep(120);
  expect(crashCopy(path)).toEqual({ rev: 2, index: 7, keys: ["a"] });
  s.markApplied({ index: 8, term: 2 });
  s.commit();
  expect(crashCopy(path).index).toBe(8);
  expect(s.consistentIndex()).toEqual({ index: 8, term: 2 });
  s.close();
  const again = MvccStore.open(path, { noSync: true });
  expect(again.consistentIndex()).toEqual({ index: 8, term: 2 });
  again.close();
});

test("a compaction interrupted by close resumes on open and finishes", async () => {
  const path = fresh();
  const opts: StoreOptions = { noSync: true, compaction: { batchLimit: 4, pauseMs: 30 } };
  const s = MvccStore.open(path, opts);
  for (let i = 0; i < 60; i++) s.put({ key: b(`k${i % 3}`), value: b(`v${i}`) });
  s.deleteRange({ key: b("k2") });
  const c = s.compact(55);
  const hashAt = s.hashKV().hash; // skips what the compaction removes, deleted from the file yet or not
  await Bun.sleep(5); // first batch ran, then the compactor pauses
  s.close();
  await c.done;
  const dumpMid = await bboltDump(path);
  const metaMid = dumpMid.buckets.find((x) => dec.decode(x.name) === "meta")!;
  const names = metaMid.kv.map(([k]) => dec.decode(k));
  expect(names).toContain("scheduledCompactRev");
  expect(names).not.toContain("finishedCompactRev");

  const r = MvccStore.open(path, opts);
  expect(r.resumedCompaction).toBeDefined();
  await r.resumedCompaction;
  expect(r.compactRevision).toBe(55);
  expect(r.hashKV().hash).toBe(hashAt);
  r.close();
  const dump = await bboltDump(path);
  const keyBucket = dump.buckets.find((x) => dec.decode(x.name) === "key")!;
  const old = keyBucket.kv.filter(([k]) => bytesToRev(k).main <= 55).map(([k, v]) => `${dec.decode(decodeKeyValue(v).key)}@${bytesToRev(k).main}`);
  // puts i=0..59 are revisions 2..61 of k(i%3): the last revision ≤ 55 of each key live at 55 stays
  expect(old.sort()).toEqual(["k0@53", "k1@54", "k2@55"]);
  const meta = dump.buckets.find((x) => dec.decode(x.name) === "meta")!;
  const fin = meta.kv.find(([k]) => dec.decode(k) === "finishedCompactRev")!;
  expect(bytesToRev(fin[1]).main).toBe(55);
}, 20_000);

test("the file passes bbolt's check and holds etcd's schema", async () => {
  const h = await bboltHelper();
  if ("skipped" in h) {
    console.warn(h.skipped);
    return;
  }
  const path = fresh();
  const s = MvccStore.open(path, { noSync: true });
  for (let i = 0; i < 3000; i++) s.put({ key: b(`/registry/k${i % 500}`), value: new Uint8Array(100).fill(i & 0xff) }, { index: i + 1, term: 4 });
  s.deleteRange({ key: b("/registry/k1"), rangeEnd: b("/registry/k2") }, { index: 3001, term: 4 });
  await s.compact(2000, { index: 3002, term: 4 }).done;
  s.close();
  expect(await bboltCheck(path)).toEqual({ ok: true, errors: [] });
  const dump = await bboltDump(path);
  expect(dump.buckets.map((x) => dec.decode(x.name))).toEqual(["key", "meta"]);
  const meta = new Map(dump.buckets[1].kv.map(([k, v]) => [dec.decode(k), v]));
  expect(decodeUint64(meta.get("consistent_index")!)).toBe(3002);
  expect(decodeUint64(meta.get("term")!)).toBe(4);
  expect(meta.get("scheduledCompactRev")!.length).toBe(17);
  expect(bytesToRev(meta.get("finishedCompactRev")!)).toEqual({ main: 2000, sub: 0 });
  let prev = -1;
  let tombstones = 0;
  for (const [k, v] of dump.buckets[0].kv) {
    expect(k.length === 17 || (k.length === 18 && isTombstone(k))).toBe(true);
    const rev = bytesToRev(k);
    expect(rev.main).toBeGreaterThanOrEqual(prev);
    prev = rev.main;
    const kv = decodeKeyValue(v);
    if (isTombstone(k)) {
      tombstones++;
      expect([kv.createRevision, kv.modRevision, kv.version, kv.value.length]).toEqual([0, 0, 0, 0]);
    } else expect(kv.modRevision).toBe(rev.main);
  }
  expect(tombstones).toBe(111); // k1, k10..k19, k100..k199 deleted in one txn at revision 3002
});
