// MvccStore's KV semantics, case by case against etcd 3.4's documented behaviour (etcdserver/apply.go,
// mvcc/kvstore_txn.go): revisions, prev_kv, ignore_value/ignore_lease, range options, txn compares and
// nesting, duplicate-key rejection, errors with etcd's messages.
import { afterAll, beforeEach, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyValue } from "../../../engine/mvcc/key_value.ts";
import { CompareResult, CompareTarget, SortOrder, SortTarget, type LeaseBinding } from "../../../engine/mvcc/requests.ts";
import { MvccStore } from "../../../engine/mvcc/store.ts";

const dir = mkdtempSync(join(tmpdir(), "mvcc-kv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const dec = new TextDecoder();
const b = (s: string) => enc.encode(s);
const ALL = new Uint8Array([0]);
const keys = (kvs: KeyValue[]) => kvs.map((kv) => dec.decode(kv.key));
let n = 0;
let s: MvccStore;
beforeEach(() => {
  s = MvccStore.open(join(dir, `kv-${n++}.db`), { noSync: true });
});
afterEach(() => s.close());

test("first write is revision 2; puts keep create_revision and count versions", () => {
  expect(s.currentRevision).toBe(1);
  expect(s.put({ key: b("a"), value: b("1") }).header.revision).toBe(2);
  expect(s.put({ key: b("a"), value: b("2") }).header.revision).toBe(3);
  const kv = s.range({ key: b("a") }).kvs[0];
  expect([kv.createRevision, kv.modRevision, kv.version, dec.decode(kv.value)]).toEqual([2, 3, 2, "2"]);
  s.deleteRange({ key: b("a") });
  s.put({ key: b("a"), value: b("3") });
  const again = s.range({ key: b("a") }).kvs[0];
  expect([again.createRevision, again.modRevision, again.version]).toEqual([5, 5, 1]);
  expect(s.range({ key: b("a"), revision: 3 }).kvs[0].version).toBe(2);
  expect(s.range({ key: b("a"), revision: 4 }).kvs).toEqual([]);
});

test("deleting nothing does not bump the revision; deleted count and prev_kvs", () => {
  s.put({ key: b("a"), value: b("1") });
  const none = s.deleteRange({ key: b("x") });
  expect([none.deleted, none.header.revision, s.currentRevision]).toEqual([0, 2, 2]);
  s.put({ key: b("b"), value: b("2") });
  const del = s.deleteRange({ key: b("a"), rangeEnd: b("c"), prevKv: true });
  expect([del.deleted, del.header.revision, keys(del.prevKvs)]).toEqual([2, 4, ["a", "b"]]);
});

test("put prev_kv, ignore_value, ignore_lease, and the key-not-found error", () => {
  expect(s.put({ key: b("a"), value: b("1"), prevKv: true }).prevKv).toBeUndefined();
  s.put({ key: b("a"), value: b("2"), lease: 7n });
  const r = s.put({ key: b("a"), ignoreValue: true, ignoreLease: true, prevKv: true });
  expect(dec.decode(r.prevKv!.value)).toBe("2");
  const kv = s.range({ key: b("a") }).kvs[0];
  expect([dec.decode(kv.value), kv.lease, kv.version]).toEqual(["2", 7n, 3]);
  const rev = s.currentRevision;
  expect(() => s.put({ key: b("nope"), ignoreValue: true })).toThrow("etcdserver: key not found");
  expect(s.currentRevision).toBe(rev);
});

test("range: prefix, from-key, limit with more and full count, count_only, keys_only", () => {
  for (const k of ["a", "b", "c", "d"]) s.put({ key: b(k), value: b(k.toUpperCase()) });
  expect(keys(s.range({ key: b("b"), rangeEnd: ALL }).kvs)).toEqual(["b", "c", "d"]);
  const lim = s.range({ key: b("a"), rangeEnd: b("z"), limit: 2 });
  expect([keys(lim.kvs), lim.more, lim.count]).toEqual([["a", "b"], true, 4]);
  const exact = s.range({ key: b("a"), rangeEnd: b("z"), limit: 4 });
  expect([exact.kvs.length, exact.more]).toEqual([4, false]);
  const cnt = s.range({ key: b("a"), rangeEnd: b("z"), countOnly: true });
  expect([cnt.kvs.length, cnt.count]).toEqual([0, 4]);
  expect(s.range({ key: b("a"), keysOnly: true }).kvs[0].value.length).toBe(0);
});

test("range: sorting by each target and order, min/max revision filters, count before filters", () => {
  s.put({ key: b("a"), value: b("3") }); // 2
  s.put({ key: b("b"), value: b("1") }); // 3
  s.put({ key: b("c"), value: b("2") }); // 4
  s.put({ key: b("b"), value: b("9") }); // 5
  const sorted = (sortTarget: SortTarget, sortOrder: SortOrder) => keys(s.range({ key: b("a"), rangeEnd: ALL, sortTarget, sortOrder }).kvs);
  expect(sorted(SortTarget.KEY, SortOrder.DESCEND)).toEqual(["c", "b", "a"]);
  expect(sorted(SortTarget.MOD, SortOrder.NONE)).toEqual(["a", "c", "b"]); // non-KEY target defaults to ascending
  expect(sorted(SortTarget.MOD, SortOrder.DESCEND)).toEqual(["b", "c", "a"]);
  expect(sorted(SortTarget.CREATE, SortOrder.DESCEND)).toEqual(["c", "b", "a"]);
  expect(sorted(SortTarget.VERSION, SortOrder.DESCEND)).toEqual(["b", "a", "c"]);
  expect(sorted(SortTarget.VALUE, SortOrder.ASCEND)).toEqual(["c", "a", "b"]);
  const f = s.range({ key: b("a"), rangeEnd: ALL, minModRevision: 3, maxModRevision: 4 });
  expect([keys(f.kvs), f.count]).toEqual([["c"], 3]);
  const c = s.range({ key: b("a"), rangeEnd: ALL, minCreateRevision: 3, limit: 1 });
  expect([keys(c.kvs), c.more]).toEqual([["b"], true]);
  expect(keys(s.range({ key: b("a"), rangeEnd: ALL, maxCreateRevision: 2 }).kvs)).toEqual(["a"]);
});

test("range errors: future and compacted revisions with etcd's messages", async () => {
  s.put({ key: b("a"), value: b("1") });
  s.put({ key: b("a"), value: b("2") });
  s.put({ key: b("a"), value: b("3") });
  expect(() => s.range({ key: b("a"), revision: 9 })).toThrow("mvcc: required revision is a future revision");
  await s.compact(3).done;
  expect(() => s.range({ key: b("a"), revision: 2 })).toThrow("mvcc: required revision has been compacted");
  expect(dec.decode(s.range({ key: b("a"), revision: 3 }).kvs[0].value)).toBe("2");
  expect(() => s.compact(3)).toThrow("mvcc: required revision has been compacted");
  expect(() => s.compact(99)).toThrow("mvcc: required revision is a future revision");
  expect(() => s.hashKV(2)).toThrow("mvcc: required revision has been compacted");
});

test("txn compares: every target and result, missing keys, ranges", () => {
  s.put({ key: b("a"), value: b("m"), lease: 5n }); // 2
  s.put({ key: b("b"), value: b("m") }); // 3
  const ok = (c: Parameters<MvccStore["txn"]>[0]["compare"]) => s.txn({ compare: c }).succeeded;
  const cmp = (target: CompareTarget, result: CompareResult, v: object, key = "a", rangeEnd?: Uint8Array) => ok([{ key: b(key), target, result, rangeEnd, ...v }]);
  expect(cmp(CompareTarget.VALUE, CompareResult.EQUAL, { value: b("m") })).toBe(true);
  expect(cmp(CompareTarget.VALUE, CompareResult.GREATER, { value: b("a") })).toBe(true);
  expect(cmp(CompareTarget.VALUE, CompareResult.LESS, { value: b("a") })).toBe(false);
  expect(cmp(CompareTarget.VALUE, CompareResult.NOT_EQUAL, { value: b("m") }, "zz")).toBe(false); // value on missing key fails
  expect(cmp(CompareTarget.VERSION, CompareResult.EQUAL, { version: 0 }, "zz")).toBe(true); // missing key = zero KeyValue
  expect(cmp(CompareTarget.CREATE, CompareResult.EQUAL, { createRevision: 2 })).toBe(true);
  expect(cmp(CompareTarget.MOD, CompareResult.LESS, { modRevision: 3 })).toBe(true);
  expect(cmp(CompareTarget.LEASE, CompareResult.EQUAL, { lease: 5n })).toBe(true);
  expect(cmp(CompareTarget.LEASE, CompareResult.NOT_EQUAL, {}, "b")).toBe(false);
  expect(cmp(CompareTarget.VALUE, CompareResult.EQUAL, { value: b("m") }, "a", b("c"))).toBe(true); // all keys in range
  expect(cmp(CompareTarget.MOD, CompareResult.GREATER, { modRevision: 2 }, "a", ALL)).toBe(false); // "a" has mod 2
  expect(s.currentRevision).toBe(3); // read-only txns do not bump the revision
});

test("txn: one revision with sub-revisions, reads see earlier ops, failure branch, nested txns", () => {
  s.put({ key: b("a"), value: b("1") }); // 2
  const r = s.txn({
    compare: [{ key: b("a"), target: CompareTarget.VERSION, result: CompareResult.EQUAL, version: 1 }],
    success: [
      { case: "requestPut", value: { key: b("x"), value: b("X"), prevKv: true } },
      { case: "requestRange", value: { key: b("x") } },
      { case: "requestDeleteRange", value: { key: b("a"), prevKv: true } },
      {
        case: "requestTxn",
        value: {
          compare: [{ key: b("a"), target: CompareTarget.VERSION, result: CompareResult.EQUAL, version: 1 }], // evaluated before the txn ran
          success: [{ case: "requestPut", value: { key: b("y"), value: b("Y") } }],
          failure: [{ case: "requestPut", value: { key: b("z"), value: b("Z") } }],
        },
      },
    ],
  });
  expect(r.succeeded).toBe(true);
  expect(r.header.revision).toBe(3);
  expect(r.responses.map((o) => o.case)).toEqual(["responsePut", "responseRange", "responseDeleteRange", "responseTxn"]);
  const range = r.responses[1].value as { kvs: KeyValue[]; header: { revision: number } };
  expect([keys(range.kvs), range.header.revision]).toEqual([["x"], 3]);
  const nested = r.responses[3].value as { succeeded: boolean; header: { revision: number } };
  expect([nested.succeeded, nested.header.revision]).toEqual([true, 0]);
  expect(keys(s.range({ key: b("a"), rangeEnd: ALL }).kvs)).toEqual(["x", "y"]);
  const y = s.range({ key: b("y") }).kvs[0];
  expect([y.modRevision, y.createRevision]).toEqual([3, 3]);
  const failed = s.txn({ compare: [{ key: b("a"), target: CompareTarget.VERSION, result: CompareResult.GREATER, version: 0 }], failure: [{ case: "requestRange", value: { key: b("x") } }] });
  expect([failed.succeeded, failed.header.revision]).toEqual([false, 3]);
});

test("txn duplicate keys are rejected like etcd's checkIntervals, before any write", () => {
  const put = (k: string) => ({ case: "requestPut" as const, value: { key: b(k), value: b("v") } });
  const del = (k: string, end?: string) => ({ case: "requestDeleteRange" as const, value: { key: b(k), rangeEnd: end === undefined ? undefined : b(end) } });
  const msg = "etcdserver: duplicate key given in txn request";
  expect(() => s.txn({ success: [put("a"), put("a")] })).toThrow(msg);
  expect(() => s.txn({ success: [del("a", "c"), put("b")] })).toThrow(msg);
  expect(() => s.txn({ success: [put("a"), { case: "requestTxn", value: { success: [put("a")] } }] })).toThrow(msg);
  expect(() => s.txn({ success: [del("a"), { case: "requestTxn", value: { failure: [put("a")] } }] })).toThrow(msg);
  expect(s.currentRevision).toBe(1);
  // allowed: the same key in both branches of a nested txn; puts in success and failure of the top txn
  expect(s.txn({ success: [{ case: "requestTxn", value: { success: [put("a")], failure: [put("a")] } }] }).header.revision).toBe(2);
  expect(s.txn({ success: [put("b")], failure: [put("b")] }).header.revision).toBe(3);
  // etcd quirk: a from-key delete ("\0" end) never conflicts
  expect(s.txn({ success: [{ case: "requestDeleteRange", value: { key: b("a"), rangeEnd: ALL } }, put("z")] }).header.revision).toBe(4);
});

test("txn checks run before writing: ignore_value on a missing key, range at a future revision", () => {
  const rev = s.currentRevision;
  expect(() => s.txn({ success: [{ case: "requestPut", value: { key: b("a"), value: b("1") } }, { case: "requestPut", value: { key: b("m"), ignoreValue: true } }] })).toThrow(
    "etcdserver: key not found",
  );
  expect(() => s.txn({ success: [{ case: "requestPut", value: { key: b("a"), value: b("1") } }, { case: "requestRange", value: { key: b("a"), revision: 50 } }] })).toThrow(
    "mvcc: required revision is a future revision",
  );
  expect(s.currentRevision).toBe(rev);
  expect(s.range({ key: b("a") }).kvs).toEqual([]);
});

test("lease binding: unknown lease rejected, keys attached and detached as values change", () => {
  s.close();
  const attached = new Map<string, bigint>();
  const leases: LeaseBinding = {
    exists: (id) => id === 1n || id === 2n,
    leaseOf: (k) => attached.get(dec.decode(k)) ?? 0n,
    attach: (id, k) => void attached.set(dec.decode(k), id),
    detach: (id, k) => {
      expect(attached.get(dec.decode(k))).toBe(id);
      attached.delete(dec.decode(k));
    },
  };
  const path = join(dir, "leases.db");
  s = MvccStore.open(path, { noSync: true, leases });
  expect(() => s.put({ key: b("a"), value: b("1"), lease: 9n })).toThrow("lease not found");
  s.put({ key: b("a"), value: b("1"), lease: 1n });
  s.put({ key: b("b"), value: b("1"), lease: 2n });
  s.put({ key: b("a"), value: b("2"), lease: 2n });
  s.deleteRange({ key: b("b") });
  expect([...attached]).toEqual([["a", 2n]]);
  s.close();
  attached.clear();
  s = MvccStore.open(path, { noSync: true, leases });
  expect([...attached]).toEqual([["a", 2n]]);
});
