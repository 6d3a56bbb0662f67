// Benchmark of the MVCC store (engine/mvcc/store.ts), in process, batching on (100 ms / 10,000 writes, with
// fdatasync): put, range (1, 10, 100 keys) and txn throughput; then reopening a file of N revisions
// (treeIndex rebuild from the key bucket) and heap bytes per key. `bun run bench mvcc [--n=1000000]`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MvccStore } from "../../engine/mvcc/store.ts";
import { fmt, median, printTable } from "./table.ts";

const enc = new TextEncoder();
const key = (i: number) => enc.encode(`/registry/pods/ns/name-${String(i).padStart(8, "0")}`);

function heapUsed(): number {
  Bun.gc(true);
  return process.memoryUsage().heapUsed;
}

export default async function (args: string[]): Promise<void> {
  const n = Number(args.find((a) => a.startsWith("--n="))?.slice(4) ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), "bench-mvcc-"));
  const rows: (string | number)[][] = [];
  const value = new Uint8Array(256).fill(7);
  try {
    // --- throughput on a 100,000-key store
    const base = 100_000;
    const store = MvccStore.open(join(dir, "ops.db"));
    let t0 = performance.now();
    for (let i = 0; i < base; i++) store.put({ key: key(i), value }, { index: i + 1, term: 1 });
    let sec = (performance.now() - t0) / 1000;
    rows.push([`put (new keys, 256 B, ${fmt(base)})`, fmt(base / sec), fmt((sec / base) * 1e6, 2) + " µs"]);
    let entry = base;
    const putSec = await median(3, () => {
      const t = performance.now();
      for (let i = 0; i < 50_000; i++) store.put({ key: key((i * 7919) % base), value }, { index: ++entry, term: 1 });
      return (performance.now() - t) / 1000;
    });
    rows.push(["put (overwrite)", fmt(50_000 / putSec), fmt((putSec / 50_000) * 1e6, 2) + " µs"]);
    for (const width of [1, 10, 100]) {
      const count = width === 100 ? 20_000 : 100_000;
      const rsec = await median(3, () => {
        const t = performance.now();
        for (let i = 0; i < count; i++) {
          const s = (i * 104729) % (base - width);
          if (width === 1) store.range({ key: key(s) });
          else store.range({ key: key(s), rangeEnd: key(s + width) });
        }
        return (performance.now() - t) / 1000;
      });
      rows.push([`range ${width} key${width > 1 ? "s" : ""}`, fmt(count / rsec), fmt((rsec / count) * 1e6, 2) + " µs"]);
    }
    const txnSec = await median(3, () => {
      const t = performance.now();
      for (let i = 0; i < 20_000; i++) {
        const k = key((i * 31) % base);
        store.txn(
          {
            compare: [{ key: k, target: 2, result: 1, modRevision: 0 }],
            success: [{ case: "requestPut", value: { key: k, value } }, { case: "requestRange", value: { key: key((i * 17) % base) } }],
          },
          { index: ++entry, term: 1 },
        );
      }
      return (performance.now() - t) / 1000;
    });
    rows.push(["txn (compare mod, put, range)", fmt(20_000 / txnSec), fmt((txnSec / 20_000) * 1e6, 2) + " µs"]);
    const hashSec = await median(3, () => void store.hashKV());
    rows.push([`hashKV (${fmt(store.currentRevision)} revisions)`, fmt(1 / hashSec, 1), fmt(hashSec * 1000, 1) + " ms"]);
    store.close();
    printTable(["operation", "ops/s", "per op"], rows);

    // --- rebuild at n revisions (n distinct keys)
    const big = join(dir, "big.db");
    const w = MvccStore.open(big, { noSync: true });
    t0 = performance.now();
    const small = new Uint8Array(64).fill(1);
    for (let i = 0; i < n; i++) w.put({ key: key(i), value: small });
    const loadSec = (performance.now() - t0) / 1000;
    w.close();
    const before = heapUsed();
    t0 = performance.now();
    const r = MvccStore.open(big, { noSync: true });
    const openSec = (performance.now() - t0) / 1000;
    const after = heapUsed();
    const checked = r.range({ key: key(n - 1) }).kvs.length;
    const size = r.db.size;
    r.close();
    console.log("");
    printTable(
      ["at " + fmt(n) + " revisions (distinct keys)", "value"],
      [
        ["load via put (noSync)", fmt(loadSec, 1) + " s (" + fmt(n / loadSec) + " puts/s)"],
        ["open = treeIndex rebuild from the key bucket", fmt(openSec, 2) + " s (" + fmt(n / openSec) + " revisions/s)"],
        ["heap after open, per key", fmt((after - before) / n, 0) + " B"],
        ["file size", fmt(size / 1e6, 1) + " MB"],
        ["sanity: last key found", String(checked === 1)],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
