// Benchmark of the MVCC in-memory index (engine/mvcc/tree_index.ts): bulk puts of distinct keys, heap bytes
// per key, get and range throughput, compaction, and restore. `bun run bench mvcc-index [--n=1000000]`.
import { IndexRestorer } from "../../engine/mvcc/index_restorer.ts";
import { keyValue } from "../../engine/mvcc/key_value.ts";
import { compareBytes } from "../../engine/bytes/compare.ts";
import { revToBytes } from "../../engine/mvcc/revision.ts";
import { TreeIndex } from "../../engine/mvcc/tree_index.ts";
import { fmt, median, printTable } from "./table.ts";

function heap(): { used: number; rss: number } {
  Bun.gc(true);
  const m = process.memoryUsage();
  return { used: m.heapUsed, rss: m.rss };
}

/** Deterministic xorshift so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export default async function (args: string[]): Promise<void> {
  const n = Number(args.find((a) => a.startsWith("--n="))?.slice(4) ?? 1_000_000);
  const enc = new TextEncoder();
  const keys: Uint8Array[] = [];
  for (let i = 0; i < n; i++) keys.push(enc.encode(`/registry/pods/ns/name-${i}`));
  const sorted = keys.slice().sort(compareBytes);
  const rand = rng(42);
  const rows: (string | number)[][] = [];

  const before = heap();
  const ti = new TreeIndex();
  let t0 = performance.now();
  for (let i = 0; i < n; i++) ti.put(keys[i], { main: i + 2, sub: 0 });
  const putSec = (performance.now() - t0) / 1000;
  const after = heap();
  rows.push([`put ${fmt(n)} distinct keys`, fmt(n / putSec), fmt(putSec * 1000, 0) + " ms"]);
  const atRev = n + 1;

  const ops = 500_000;
  const probes = Array.from({ length: ops }, () => keys[Math.floor(rand() * n)]);
  const getSec = await median(3, () => {
    for (let i = 0; i < ops; i++) ti.get(probes[i], atRev);
  });
  rows.push(["get (random key)", fmt(ops / getSec), ""]);

  for (const width of [1, 10, 100]) {
    const count = width === 100 ? 50_000 : 200_000;
    const starts = Array.from({ length: count }, () => Math.floor(rand() * (n - width - 1)));
    let seen = 0;
    const sec = await median(3, () => {
      seen = 0;
      for (let i = 0; i < count; i++) {
        const s = starts[i];
        seen += ti.range(sorted[s], sorted[s + width], atRev).keys.length;
      }
    });
    if (seen !== count * width) throw new Error(`range of ${width} returned ${seen / count} keys on average`);
    rows.push([`range of ${width} key${width > 1 ? "s" : ""}`, fmt(count / sec), fmt((count * width) / sec) + " keys/s"]);
  }

  // Restore: the bucket scan of the same data (one KeyValue per key, in revision order).
  const kvs = keys.map((key, i) => ({ rev: revToBytes({ main: i + 2, sub: 0 }), kv: keyValue({ key, createRevision: i + 2, modRevision: i + 2, version: 1 }) }));
  const restored = new TreeIndex();
  const restorer = new IndexRestorer(restored);
  t0 = performance.now();
  for (const e of kvs) restorer.add(e.rev, e.kv);
  const restoreSec = (performance.now() - t0) / 1000;
  rows.push([`restore ${fmt(n)} keys (IndexRestorer)`, fmt(n / restoreSec), fmt(restoreSec * 1000, 0) + " ms"]);

  // Compaction at the current revision keeps every key (one revision each): the O(n) pass plus the set.
  t0 = performance.now();
  const kept = ti.compact(atRev);
  const compactSec = (performance.now() - t0) / 1000;
  if (kept.size !== n) throw new Error(`compaction kept ${kept.size} of ${n}`);
  rows.push([`compact ${fmt(n)} keys`, fmt(n / compactSec), fmt(compactSec * 1000, 0) + " ms"]);

  printTable(["operation", "ops/s", "notes"], rows);
  console.log("");
  printTable(
    ["keys", "heap bytes/key (heapUsed)", "RSS bytes/key", "key length"],
    [[fmt(n), fmt((after.used - before.used) / n, 1), fmt((after.rss - before.rss) / n, 1), `${keys[0].length}-${keys[n - 1].length} B`]],
  );
}
