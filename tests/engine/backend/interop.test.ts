// Interop with the real bbolt (Go, Debian's golang-github-coreos-bbolt-dev) and the real etcd 3.4:
// files written by bunetcd pass bbolt's own Check and read back identically through bbolt; files written by
// bbolt (and by etcd, which runs bbolt without a freelist page) open in bunetcd, pass `check`, and can be
// written on and handed back. Skipped, saying why, where Go/bbolt or etcd are not installed.
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "../../../engine/backend/check.ts";
import { compact } from "../../../engine/backend/compact.ts";
import { DB } from "../../../engine/backend/db.ts";
import { NO_FREELIST } from "../../../engine/backend/meta.ts";
import { ETCD_FILL_PERCENT } from "../../../cli/backend.ts";
import { type BboltBucket, type BboltDump, type BboltOp, type BboltWriteSpec, bboltCheck, bboltDump, bboltHelper, bboltWrite, bytesToHex } from "../../support/bbolt.ts";
import { txLines } from "../../support/bucket-model.ts";
import { startEtcd } from "../../support/etcd.ts";
import { Rng, testSeed } from "../../support/random.ts";

const helper = await bboltHelper();
const skip = "skipped" in helper ? helper.skipped : null;
if (skip) console.warn(`[SKIP] bbolt interop tests: ${skip}`);

const dir = mkdtempSync(join(tmpdir(), "bunetcd-interop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);

/** The bbolt dump in the model's line format (see tests/support/bucket-model.ts). */
function dumpLines(d: BboltDump): string[] {
  const walk = (kv: [Uint8Array, Uint8Array][], buckets: BboltBucket[], prefix: string): string[] => {
    const items: [string, string[]][] = [];
    for (const [k, v] of kv) items.push([bytesToHex(k), [`${prefix}|${bytesToHex(k)}=${bytesToHex(v)}`]]);
    for (const b of buckets) {
      const n = bytesToHex(b.name);
      items.push([n, [`${prefix}|${n}/`, ...walk(b.kv, b.buckets, `${prefix}/${n}`)]]);
    }
    items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return items.flatMap(([, l]) => l);
  };
  return walk(d.kv, d.buckets, "");
}

/** A random multi-transaction bbolt write spec: nested buckets, overwrites, deletes, overflow values. */
function randomSpec(rng: Rng): BboltWriteSpec {
  const txs: BboltOp[][] = [];
  const buckets: string[][] = [];
  for (let t = 0; t < 20; t++) {
    const ops: BboltOp[] = [];
    for (let i = 0; i < 300; i++) {
      const r = rng.int(100);
      if (r < 5 || buckets.length === 0) {
        const parent = buckets.length && rng.int(2) ? rng.pick(buckets) : [];
        const path = [...parent, bytesToHex(enc(`b${t}-${i}`))];
        if (path.length > 3) continue;
        ops.push(["createBucket", path]);
        buckets.push(path);
      } else if (r < 80) {
        const v = rng.int(50) === 0 ? rng.bytes(5000 + rng.int(10000)) : rng.bytes(rng.int(200));
        ops.push(["put", rng.pick(buckets), bytesToHex(enc(`k${rng.int(2000)}`)), bytesToHex(v)]);
      } else {
        ops.push(["delete", rng.pick(buckets), bytesToHex(enc(`k${rng.int(2000)}`))]);
      }
    }
    txs.push(ops);
  }
  return { fillPercent: 0.9, txs };
}

describe.skipIf(skip !== null)("bbolt interop", () => {
  test("a file bunetcd writes passes bbolt's Check and reads back identically in bbolt", async () => {
    const seed = testSeed();
    console.log(`interop seed=${seed}`);
    const rng = new Rng(seed);
    const path = join(dir, "ours.db");
    const db = DB.open(path, { fillPercent: { key: 0.9 } });
    for (let t = 0; t < 30; t++) {
      db.update((tx) => {
        const key = tx.createBucketIfNotExists(enc("key"));
        for (let i = 0; i < 500; i++) {
          const k = new Uint8Array(17);
          new DataView(k.buffer).setBigUint64(0, BigInt(t * 500 + i));
          k[8] = 0x5f;
          key.put(k, rng.bytes(rng.int(300)));
        }
        const other = tx.createBucketIfNotExists(enc("meta"));
        other.put(enc(`consistent_index`), rng.bytes(8));
        const nested = other.createBucketIfNotExists(enc("nested"));
        nested.put(enc(`n${rng.int(100)}`), rng.bytes(rng.int(2) ? 10 : 9000));
        if (t % 7 === 3) for (let i = 0; i < 300; i++) key.delete(key.cursor().first()![0]);
        tx.createBucketIfNotExists(enc(`small${t % 3}`)).put(enc("x"), enc(String(t)));
        if (t % 5 === 4) tx.deleteBucket(enc(`small${t % 3}`));
      });
    }
    const ours = db.view((tx) => txLines(tx));
    expect(db.view((tx) => check(tx))).toEqual([]);
    db.close();
    expect(await bboltCheck(path)).toEqual({ ok: true, errors: [] });
    expect(dumpLines(await bboltDump(path))).toEqual(ours);
  }, 60_000);

  test("a file bbolt writes opens in bunetcd, passes check, and can be written and handed back", async () => {
    const seed = testSeed();
    console.log(`interop seed=${seed}`);
    const path = join(dir, "theirs.db");
    await bboltWrite(path, randomSpec(new Rng(seed)));
    const expected = dumpLines(await bboltDump(path));
    const db = DB.open(path);
    expect(db.view((tx) => txLines(tx))).toEqual(expected);
    expect(db.view((tx) => check(tx))).toEqual([]);
    // Write on it, then bbolt must still accept it and see our change.
    db.update((tx) => {
      const b = tx.createBucket(enc("added-by-bunetcd"));
      for (let i = 0; i < 1000; i++) b.put(enc(`z${i}`), enc("v".repeat(i % 300)));
    });
    db.update((tx) => tx.deleteBucket(tx.root.cursor().first()![0]));
    const after = db.view((tx) => txLines(tx));
    db.close();
    expect(await bboltCheck(path)).toEqual({ ok: true, errors: [] });
    expect(dumpLines(await bboltDump(path))).toEqual(after);
  }, 60_000);
});

const etcd = existsSync("/usr/bin/etcd") ? null : "etcd (Debian etcd-server) is not installed";
if (etcd) console.warn(`[SKIP] etcd data-file interop: ${etcd}`);

describe.skipIf(etcd !== null)("etcd data file interop", () => {
  test("etcd's own db file (no freelist page) opens, checks clean, compacts, and etcdctl reads the result", async () => {
    const server = await startEtcd(join(dir, "etcd-data"));
    try {
      for (let i = 0; i < 200; i++) await server.etcdctl(["put", `/registry/k${i}`, "v".repeat(i)]);
      await server.etcdctl(["del", "/registry/k7"]);
    } finally {
      await server.stop();
    }
    const file = join(dir, "etcd-data", "member", "snap", "db");
    const copy = join(dir, "etcd-copy.db");
    copyFileSync(file, copy);
    const db = DB.open(copy);
    expect(db.meta.freelist).toBe(NO_FREELIST);
    expect(db.view((tx) => check(tx))).toEqual([]);
    const keyCount = db.view((tx) => {
      let n = 0;
      tx.bucket(enc("key"))!.forEach(() => n++);
      return n;
    });
    expect(keyCount).toBe(201); // 200 puts and one tombstone revision
    const out = join(dir, "etcd-compacted.db");
    const dst = DB.open(out, { fillPercent: ETCD_FILL_PERCENT });
    compact(db, dst);
    dst.close();
    db.close();
    const status = async (f: string) => {
      const p = Bun.spawn(["etcdctl", "snapshot", "status", f, "-w", "json"], { stdout: "pipe", stderr: "pipe" });
      const text = await new Response(p.stdout).text();
      expect(await p.exited).toBe(0);
      return JSON.parse(text);
    };
    const a = await status(copy);
    const b = await status(out);
    expect(b.hash).toBe(a.hash);
    expect(b.revision).toBe(a.revision);
    expect(b.totalKey).toBe(a.totalKey);
  }, 60_000);
});
