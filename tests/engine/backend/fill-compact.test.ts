// Fill percent decides where spilled nodes split: sequential appends with 0.9 leave leaves about 90 % full
// (etcd's revision-keyed `key` bucket relies on it), the default 0.5 about half. `compact` copies every
// bucket, key and sequence into a fresh, smaller file that passes check and keeps the fill percents; `stats`
// counts what is there.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "../../../engine/backend/check.ts";
import { compact } from "../../../engine/backend/compact.ts";
import { DB } from "../../../engine/backend/db.ts";
import { stats } from "../../../engine/backend/stats.ts";
import { txLines } from "../../support/bucket-model.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-fill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);

function seqKey(i: number): Uint8Array {
  const k = new Uint8Array(8);
  new DataView(k.buffer).setBigUint64(0, BigInt(i));
  return k;
}

function appendSequential(path: string, fill: Record<string, number>): ReturnType<typeof stats> {
  const db = DB.open(path, { noSync: true, fillPercent: fill });
  const value = new Uint8Array(256).fill(1);
  for (let t = 0; t < 20; t++) {
    db.update((tx) => {
      const b = tx.createBucketIfNotExists(enc("key"));
      for (let i = 0; i < 1000; i++) b.put(seqKey(t * 1000 + i), value);
    });
  }
  const s = db.view((tx) => stats(tx));
  db.close();
  return s;
}

test("sequential appends fill leaves to the bucket's fill percent (0.9 → ~90 %, default 0.5 → ~50 %)", () => {
  const packed = appendSequential(join(dir, "fill90.db"), { key: 0.9 }).buckets.get("key")!;
  const loose = appendSequential(join(dir, "fill50.db"), {}).buckets.get("key")!;
  const use = (b: typeof packed) => b.leafInuse / b.leafAlloc;
  expect(packed.keys).toBe(20000);
  expect(loose.keys).toBe(20000);
  // 13 elements of 280 bytes per 4 KiB page at 0.9: 3,656 / 4,096 = 89 %.
  expect(use(packed)).toBeGreaterThan(0.87);
  expect(use(packed)).toBeLessThan(0.92);
  expect(use(loose)).toBeGreaterThan(0.45);
  expect(use(loose)).toBeLessThan(0.56);
  expect(loose.leafPages).toBeGreaterThan(packed.leafPages * 1.6);
});

test("compact copies buckets, keys and sequences into a smaller file that passes check", () => {
  const src = join(dir, "src.db");
  const db = DB.open(src, { noSync: true });
  db.update((tx) => {
    const a = tx.createBucket(enc("key"));
    for (let i = 0; i < 5000; i++) a.put(seqKey(i), new Uint8Array(200).fill(i & 0xff));
    const m = tx.createBucket(enc("meta"));
    m.put(enc("consistent_index"), seqKey(42));
    const n = m.createBucket(enc("nested"));
    n.put(enc("big"), new Uint8Array(9000).fill(3));
    n.setSequence(77n);
  });
  // Churn: delete most keys so the source has many free pages.
  db.update((tx) => {
    const a = tx.bucket(enc("key"))!;
    for (let i = 0; i < 5000; i++) if (i % 10) a.delete(seqKey(i));
  });
  const expected = db.view((tx) => txLines(tx));
  const dstPath = join(dir, "dst.db");
  const dst = DB.open(dstPath, { noSync: true, fillPercent: { key: 0.9 } });
  const r = compact(db, dst);
  expect(r).toEqual({ keys: 500 + 1 + 1, buckets: 3 });
  expect(dst.view((tx) => txLines(tx))).toEqual(expected);
  expect(dst.view((tx) => check(tx))).toEqual([]);
  expect(dst.view((tx) => tx.bucket(enc("meta"))!.bucket(enc("nested"))!.sequence)).toBe(77n);
  const s = dst.view((tx) => stats(tx));
  expect(s.pages.free).toBeLessThan(5);
  const key = s.buckets.get("key")!;
  expect(key.leafInuse / key.leafAlloc).toBeGreaterThan(0.8);
  db.close();
  dst.close();
  expect(statSync(dstPath).size).toBeLessThan(statSync(src).size);
});
