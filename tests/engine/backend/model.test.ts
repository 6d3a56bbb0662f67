// Model-based randomized test of the B+tree file: random puts (some with overflow-sized values), deletes,
// cursor walks and seeks, nested bucket creation and deletion, commits and rollbacks, with read
// transactions held open across commits; compared against an in-memory model after every commit and
// after every reopen, and `check` must pass each time. Reproduce a failure with SEED=<seed>.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "../../../engine/backend/check.ts";
import { DB } from "../../../engine/backend/db.ts";
import type { Bucket } from "../../../engine/backend/bucket.ts";
import type { Tx } from "../../../engine/backend/tx.ts";
import { ModelBucket, fromHex, toHex, txLines } from "../../support/bucket-model.ts";
import { Rng, testSeed } from "../../support/random.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-model-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function randomKey(rng: Rng): Uint8Array {
  // A small key space so that overwrites and deletes hit existing keys; keys start with "k".
  const n = rng.int(400);
  const suffix = rng.int(4) === 0 ? rng.bytes(rng.int(40)) : new Uint8Array(0);
  const base = new TextEncoder().encode(`k${n.toString().padStart(4, "0")}`);
  const k = new Uint8Array(base.length + suffix.length);
  k.set(base);
  k.set(suffix, base.length);
  return k;
}

function randomValue(rng: Rng): Uint8Array {
  const r = rng.int(100);
  const len = r < 3 ? 4096 + rng.int(20000) : r < 10 ? 0 : rng.int(300);
  return rng.bytes(len);
}

/** Picks a random bucket path (existing) in the model, returning both sides. */
function pickBucket(rng: Rng, tx: Tx, model: ModelBucket): { b: Bucket; m: ModelBucket; depth: number } | null {
  const names = [...model.buckets.keys()];
  if (names.length === 0) return null;
  let name = rng.pick(names);
  let m = model.buckets.get(name)!;
  let b = tx.bucket(fromHex(name))!;
  let depth = 1;
  while (m.buckets.size > 0 && rng.int(2) === 0) {
    name = rng.pick([...m.buckets.keys()]);
    m = m.buckets.get(name)!;
    b = b.bucket(fromHex(name))!;
    depth++;
  }
  return { b, m, depth };
}

function runModel(seed: number, txCount: number, pageSize: number): void {
  const rng = new Rng(seed);
  const path = join(dir, `model-${seed}-${pageSize}.db`);
  let db = DB.open(path, { pageSize, noSync: true });
  let model = new ModelBucket();
  const readers: { tx: Tx; lines: string[] }[] = [];
  let ops = 0;
  for (let t = 0; t < txCount; t++) {
    if (rng.int(5) === 0 && readers.length < 4) readers.push({ tx: db.begin(false), lines: model.lines() });
    const tx = db.begin(true);
    const before = model.clone();
    const nops = 1 + rng.int(rng.int(10) === 0 ? 600 : 60);
    for (let i = 0; i < nops; i++, ops++) {
      const r = rng.int(100);
      if (r < 6 || model.buckets.size === 0) {
        // Create a bucket at top level or nested.
        const target = rng.int(2) === 0 || model.buckets.size === 0 ? null : pickBucket(rng, tx, model);
        if (target && target.depth >= 3) continue;
        const name = new TextEncoder().encode(`b${rng.int(12)}`);
        const m = target ? target.m : model;
        if (m.buckets.has(toHex(name))) continue;
        (target ? target.b : tx.root).createBucket(name);
        m.buckets.set(toHex(name), new ModelBucket());
        continue;
      }
      const sel = pickBucket(rng, tx, model)!;
      if (r < 8) {
        // Delete a nested bucket, or a top-level one.
        const names = [...sel.m.buckets.keys()];
        if (names.length && rng.int(2) === 0) {
          const n = rng.pick(names);
          sel.b.deleteBucket(fromHex(n));
          sel.m.buckets.delete(n);
        } else if (rng.int(4) === 0) {
          const n = rng.pick([...model.buckets.keys()]);
          tx.deleteBucket(fromHex(n));
          model.buckets.delete(n);
        }
      } else if (r < 65) {
        const k = randomKey(rng);
        const v = randomValue(rng);
        sel.b.put(k, v);
        sel.m.kv.set(toHex(k), toHex(v));
      } else if (r < 85) {
        const keys = [...sel.m.kv.keys()];
        const k = keys.length && rng.int(4) !== 0 ? fromHex(rng.pick(keys)) : randomKey(rng);
        sel.b.delete(k);
        sel.m.kv.delete(toHex(k));
      } else if (r < 90) {
        // Cursor delete while iterating: delete every other key from a random start.
        const c = sel.b.cursor();
        let e = c.seek(randomKey(rng));
        for (let j = 0; e && j < 10; j++) {
          if (e[1] !== null && j % 2 === 0) {
            sel.m.kv.delete(toHex(e[0]));
            c.delete();
          }
          e = c.next();
        }
      } else if (r < 95) {
        // Seek and walk backwards and forwards, against the model.
        const sorted = [...new Set([...sel.m.kv.keys(), ...sel.m.buckets.keys()])].sort();
        const k = toHex(randomKey(rng));
        const c = sel.b.cursor();
        const e = c.seek(fromHex(k));
        const idx = sorted.findIndex((x) => x >= k);
        expect(e ? toHex(e[0]) : null).toBe(idx >= 0 ? sorted[idx] : null);
        if (e) {
          const p = c.prev();
          expect(p ? toHex(p[0]) : null).toBe(idx > 0 ? sorted[idx - 1] : null);
        }
        const last = sel.b.cursor().last();
        expect(last ? toHex(last[0]) : null).toBe(sorted.length ? sorted[sorted.length - 1] : null);
      } else {
        const keys = [...sel.m.kv.keys()];
        if (keys.length) {
          const k = rng.pick(keys);
          expect(toHex(sel.b.get(fromHex(k))!)).toBe(sel.m.kv.get(k)!);
        }
      }
    }
    if (rng.int(8) === 0) {
      tx.rollback();
      model = before;
    } else {
      tx.commit();
    }
    const lines = db.view((r) => txLines(r));
    expect(lines).toEqual(model.lines());
    expect(db.view((r) => check(r))).toEqual([]);
    // Readers still see the state they started with.
    for (const rd of readers) expect(txLines(rd.tx)).toEqual(rd.lines);
    if (rng.int(3) === 0 && readers.length) readers.splice(rng.int(readers.length), 1)[0].tx.rollback();
    if (rng.int(15) === 0) {
      for (const rd of readers.splice(0)) rd.tx.rollback();
      db.close();
      db = DB.open(path, { noSync: true });
      expect(db.view((r) => txLines(r))).toEqual(model.lines());
      expect(db.view((r) => check(r))).toEqual([]);
    }
  }
  for (const rd of readers) rd.tx.rollback();
  db.close();
  console.log(`model seed=${seed} pageSize=${pageSize}: ${txCount} txs, ${ops} ops`);
}

for (const pageSize of [4096, 1024]) {
  test(`random operations match the model and check passes (pageSize ${pageSize})`, () => {
    const seed = testSeed();
    console.log(`model test seed=${seed} (reproduce with SEED=${seed})`);
    runModel(seed, 300, pageSize);
  }, 60_000);
}
