// Model-based randomized test of MvccStore against KvModel: random puts, deletes (single, range, from-key),
// txns with several writes, ranges at random revisions with limits, compactions and reopenings of the file.
// Seeded (SEED=<n> replays). After a compaction at C, reads at revisions ≥ C must match the model and
// reads below C must fail with etcd's compacted error.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompactedError } from "../../../engine/mvcc/errors.ts";
import type { KeyValue } from "../../../engine/mvcc/key_value.ts";
import type { RequestOp } from "../../../engine/mvcc/requests.ts";
import { MvccStore } from "../../../engine/mvcc/store.ts";
import { bytes, KvModel, type ModelKv } from "./kv_model.ts";
import { type Rng, testSeed, withSeed } from "../../support/random.ts";

const dir = mkdtempSync(join(tmpdir(), "mvcc-model-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dec = new TextDecoder();

const KEYS = ["a", "ab", "abc", "b", "ba", "c", "d", "da", "e", "z"];

function asModel(kv: KeyValue): ModelKv {
  return {
    key: dec.decode(kv.key),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    value: dec.decode(kv.value),
    lease: kv.lease,
  };
}

function randomEnd(rng: Rng, key: string): string {
  const r = rng.int(4);
  if (r === 0) return "";
  if (r === 1) return "\0";
  const later = KEYS.filter((k) => k > key);
  return later.length > 0 ? later[rng.int(later.length)] : "\0";
}

const endBytes = (end: string) => (end === "" ? undefined : end === "\0" ? new Uint8Array([0]) : bytes(end));

async function run(rng: Rng, path: string): Promise<void> {
  const model = new KvModel();
  let store = MvccStore.open(path, { noSync: true, batch: { interval: 0, limit: 1 + rng.int(20) }, compaction: { batchLimit: 3, pauseMs: 0 } });
  let pendingCompaction: Promise<void> | undefined;
  let entry = 0;
  for (let step = 0; step < 600; step++) {
    // let compaction batches run between writes now and then, or wait for one to finish
    if (rng.int(10) === 0) await Bun.sleep(0);
    if (pendingCompaction !== undefined && rng.int(20) === 0) {
      await pendingCompaction;
      pendingCompaction = undefined;
    }
    const op = rng.int(100);
    if (op < 35) {
      const key = KEYS[rng.int(KEYS.length)];
      const value = `v${step}`;
      const lease = rng.int(5) === 0 ? BigInt(rng.int(3) + 1) : 0n;
      const prev = model.get(key, model.rev);
      const resp = store.put({ key: bytes(key), value: bytes(value), lease, prevKv: true }, { index: ++entry, term: 1 });
      model.write([{ put: key, value, lease }]);
      expect(resp.header.revision).toBe(model.rev);
      expect(resp.prevKv && asModel(resp.prevKv)).toEqual(prev);
    } else if (op < 50) {
      const key = KEYS[rng.int(KEYS.length)];
      const end = randomEnd(rng, key);
      const before = model.range(key, end, model.rev);
      const resp = store.deleteRange({ key: bytes(key), rangeEnd: endBytes(end), prevKv: true }, { index: ++entry, term: 1 });
      model.write([{ del: key, end }]);
      expect(resp.deleted).toBe(before.length);
      expect(resp.prevKvs.map(asModel)).toEqual(before);
      expect(resp.header.revision).toBe(model.rev);
    } else if (op < 62) {
      // a txn writing distinct keys (puts) and deleting a single key not put in it
      const keys = [...KEYS].sort(() => rng.next() - 0.5).slice(0, 1 + rng.int(4));
      const ops: RequestOp[] = [];
      const modelOps: Parameters<KvModel["write"]>[0] = [];
      for (const [i, k] of keys.entries()) {
        if (i === 0 && rng.int(2) === 0) {
          ops.push({ case: "requestDeleteRange", value: { key: bytes(k) } });
          modelOps.push({ del: k, end: "" });
        } else {
          ops.push({ case: "requestPut", value: { key: bytes(k), value: bytes(`t${step}.${i}`) } });
          modelOps.push({ put: k, value: `t${step}.${i}` });
        }
        if (rng.int(3) === 0) ops.push({ case: "requestRange", value: { key: bytes("a"), rangeEnd: new Uint8Array([0]) } });
      }
      const cmpKey = KEYS[rng.int(KEYS.length)];
      const cur = model.get(cmpKey, model.rev);
      const version = rng.int(3);
      const succeeded = (cur?.version ?? 0) === version;
      const resp = store.txn(
        { compare: [{ key: bytes(cmpKey), target: 0, result: 0, version }], success: ops, failure: [{ case: "requestRange", value: { key: bytes(cmpKey) } }] },
        { index: ++entry, term: 1 },
      );
      expect(resp.succeeded).toBe(succeeded);
      if (succeeded) model.write(modelOps);
      expect(resp.header.revision).toBe(model.rev);
    } else if (op < 85) {
      const key = KEYS[rng.int(KEYS.length)];
      const end = randomEnd(rng, key);
      const lowest = Math.max(model.compacted, 1);
      const at = rng.int(3) === 0 ? 0 : lowest + rng.int(model.rev - lowest + 1);
      const limit = rng.int(3) === 0 ? 1 + rng.int(3) : 0;
      const want = model.range(key, end, at === 0 ? model.rev : at);
      const resp = store.range({ key: bytes(key), rangeEnd: endBytes(end), revision: at, limit });
      expect(resp.count).toBe(want.length);
      expect(resp.kvs.map(asModel)).toEqual(limit > 0 ? want.slice(0, limit) : want);
      expect(resp.more).toBe(limit > 0 && want.length > limit);
      expect(resp.header.revision).toBe(model.rev);
      if (model.compacted > 1) expect(() => store.range({ key: bytes(key), revision: model.compacted - 1 })).toThrow(CompactedError);
    } else if (op < 92) {
      if (model.rev <= model.compacted) continue;
      const rev = model.compacted + 1 + rng.int(model.rev - model.compacted);
      const resp = store.compact(rev, { index: ++entry, term: 1 });
      pendingCompaction = resp.done;
      model.compacted = rev;
      expect(() => store.compact(rev)).toThrow(CompactedError);
    } else {
      // reopen: an unfinished physical compaction must resume from scheduledCompactRev
      const hashBefore = pendingCompaction === undefined ? store.hashKV().hash : undefined;
      store.close();
      store = MvccStore.open(path, { noSync: true, batch: { interval: 0, limit: 1 + rng.int(20) }, compaction: { batchLimit: 3, pauseMs: 0 } });
      pendingCompaction = undefined;
      expect(store.currentRevision).toBe(model.rev);
      expect(store.consistentIndex()).toEqual({ index: entry, term: entry > 0 ? 1 : 0 });
      if (model.compacted > 0) expect(store.compactRevision).toBe(model.compacted);
      if (hashBefore !== undefined && store.resumedCompaction === undefined) expect(store.hashKV().hash).toBe(hashBefore);
    }
  }
  const all = store.range({ key: bytes("\0"), rangeEnd: new Uint8Array([0]) });
  expect(all.kvs.map(asModel)).toEqual(model.range("\0", "\0", model.rev));
  store.close();
}

test("store matches the naive model under random puts, deletes, txns, ranges, compactions, reopens", async () => {
  const base = testSeed();
  for (let i = 0; i < 4; i++) {
    const seed = (base + i) >>> 0;
    await withSeed("store model", (rng) => run(rng, join(dir, `model-${seed}.db`)), seed);
  }
}, 60_000);
