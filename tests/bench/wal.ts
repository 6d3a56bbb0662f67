// WAL benchmark: raw fdatasync of the disk vs. the ways Bun can sync off the event loop, WAL save
// throughput for batches of 1..1000 entries of 256 bytes, group commit under concurrent callers,
// and the cost of candidate payload encodings. Options: --dir=<path> (default: OS temp dir, must be
// on the disk you care about), --quick (fewer iterations).
import { Encoder } from "@msgpack/msgpack";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { closeSync, fdatasync as fdatasyncCb, fdatasyncSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { open as openPromise } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ByteBuffer } from "../../engine/bytes/byte-buffer.ts";
import { encodeEntry } from "../../engine/wal/payload.ts";
import { preallocate } from "../../engine/wal/preallocate.ts";
import { Wal, type Entry } from "../../engine/wal/index.ts";
import { fmt, median, printTable } from "./table.ts";

const META = { memberId: 1n, clusterId: 2n };

export default async function (args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const base = args.find((a) => a.startsWith("--dir="))?.slice(6) ?? tmpdir();
  const root = mkdtempSync(join(base, "bunetcd-walbench-"));
  try {
    const raw = await syncMethods(root, quick ? 200 : 1000, quick ? 3 : 5);
    await walSaves(root, raw, quick);
    await groupCommit(root, quick);
    encodings(quick ? 20_000 : 200_000);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

interface Raw {
  page: number; // seconds per blocking fdatasync after a 4 KiB write
  small: number; // seconds per blocking fdatasync after a 384 B write (one 256 B entry + HardState)
}

/** Seconds per (write + sync) for each way of syncing; returns the raw blocking latencies. */
async function syncMethods(root: string, n: number, runs: number): Promise<Raw> {
  const path = join(root, "raw");
  const fd = openSync(path, "w+");
  preallocate(fd, 64 << 20);
  fdatasyncSync(fd);
  const page = new Uint8Array(4096).fill(7);
  const small = page.subarray(0, 384);
  const fh = await openPromise(path, "r+");
  const workerSrc = join(root, "sync-worker.ts");
  writeFileSync(workerSrc, `import { fdatasyncSync } from "node:fs";\nself.onmessage = (e) => { fdatasyncSync(e.data); postMessage(0); };\n`);
  const worker = new Worker(workerSrc);
  const viaWorker = () =>
    new Promise<void>((r) => {
      worker.addEventListener("message", () => r(), { once: true });
      worker.postMessage(fd);
    });
  const blocking = () => fdatasyncSync(fd);
  const callback = () => new Promise<void>((r, j) => fdatasyncCb(fd, (e) => (e ? j(e) : r())));
  const methods: [string, Uint8Array, () => Promise<void> | void][] = [
    ["4 KiB, fdatasyncSync (blocks the event loop) = raw", page, blocking],
    ["4 KiB, fs.fdatasync callback (thread pool) = chosen", page, callback],
    ["4 KiB, fs/promises FileHandle.datasync", page, () => fh.datasync()],
    ["4 KiB, Worker + postMessage", page, viaWorker],
    ["384 B, fdatasyncSync = raw, WAL-sized write", small, blocking],
    ["384 B, fs.fdatasync callback", small, callback],
  ];
  const perOp = new Map<string, number[]>();
  for (let run = 0; run < runs; run++) {
    for (const [name, bytes, sync] of methods) {
      let off = 0;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        writeSync(fd, bytes, 0, bytes.length, off);
        off = (off + bytes.length) % (64 << 20);
        await sync();
      }
      (perOp.get(name) ?? perOp.set(name, []).get(name)!).push((performance.now() - t0) / 1000 / n);
    }
  }
  worker.terminate();
  await fh.close();
  closeSync(fd);
  const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const raw = { page: med(perOp.get(methods[0][0])!), small: med(perOp.get(methods[4][0])!) };
  console.log(`### fdatasync after a sequential write (median of ${runs} runs x ${n})\n`);
  printTable(
    ["write size, sync method", "syncs/s", "µs/sync", "vs raw of that size"],
    methods.map(([name, bytes]) => {
      const s = med(perOp.get(name)!);
      const base = bytes.length === 4096 ? raw.page : raw.small;
      return [name, fmt(1 / s), fmt(s * 1e6), fmt(s / base, 2) + "x"];
    }),
  );
  console.log();
  return raw;
}

function entries(first: number, n: number): Entry[] {
  const data = new Uint8Array(256).fill(0x5a);
  return Array.from({ length: n }, (_, i) => ({ term: 1, index: first + i, type: 0 as const, data }));
}

/** Sequential saves of one batch each: the Raft Ready loop's pattern. */
async function walSaves(root: string, raw: Raw, quick: boolean): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const batch of [1, 10, 100, 1000]) {
    const saves = Math.max(quick ? 20 : 60, Math.min(quick ? 300 : 1500, Math.floor(200_000 / batch)));
    const dir = join(root, `wal-${batch}`);
    const wal = await Wal.create(dir, META);
    let next = 1;
    let fsyncs = 0;
    const seconds = await median(quick ? 3 : 5, async () => {
      const f0 = wal.stats.fsyncs;
      const t0 = performance.now();
      for (let i = 0; i < saves; i++) {
        await wal.save({ term: 1, vote: 1n, commit: next - 1 }, entries(next, batch));
        next += batch;
      }
      fsyncs = wal.stats.fsyncs - f0;
      return (performance.now() - t0) / 1000;
    });
    await wal.close();
    rmSync(dir, { recursive: true, force: true });
    const perSave = seconds / saves;
    rows.push([
      batch,
      fmt((saves * batch) / seconds),
      fmt(fsyncs / seconds),
      fmt(perSave * 1e6),
      fmt(perSave / raw.page, 2) + "x",
      fmt(perSave / raw.small, 2) + "x",
    ]);
  }
  console.log(
    `### WAL save, entries of 256 B, one save awaited at a time ` +
      `(raw fdatasync: ${fmt(1 / raw.page)}/s after 4 KiB, ${fmt(1 / raw.small)}/s after 384 B)\n`,
  );
  printTable(["batch", "entries/s", "fsyncs/s", "µs/save", "vs raw 4 KiB", "vs raw 384 B"], rows);
  console.log();
}

/** Many callers saving one entry each without waiting for one another: group commit at work. */
async function groupCommit(root: string, quick: boolean): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const callers of [1, 16, 256]) {
    const dir = join(root, `gc-${callers}`);
    const wal = await Wal.create(dir, META);
    const total = quick ? 2000 : 8000;
    let next = 1;
    const f0 = wal.stats.fsyncs;
    const t0 = performance.now();
    const worker = async () => {
      while (next <= total) {
        const i = next++;
        await wal.save({ term: 1, vote: 1n, commit: 0 }, entries(i, 1));
      }
    };
    await Promise.all(Array.from({ length: callers }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const fsyncs = wal.stats.fsyncs - f0;
    await wal.close();
    rmSync(dir, { recursive: true, force: true });
    rows.push([callers, fmt(total / seconds), fmt(fsyncs / seconds), fmt(total / fsyncs, 1)]);
  }
  console.log("### Group commit: concurrent callers each saving 1 entry of 256 B\n");
  printTable(["callers", "entries/s", "fsyncs/s", "entries per fsync"], rows);
  console.log();
}

/** Nanoseconds to encode one 256-byte entry with each candidate payload encoding. */
function encodings(n: number): void {
  const e = entries(1_000_000, 1)[0];
  const msgpack = new Encoder();
  const buf = new ByteBuffer();
  const candidates: [string, () => void][] = [
    ["@msgpack/msgpack encode([type, term, index, data])", () => msgpack.encode([e.type, e.term, e.index, e.data])],
    [
      "@bufbuild/protobuf BinaryWriter (raftpb.Entry)",
      () => new BinaryWriter().tag(1, WireType.Varint).int32(e.type).tag(2, WireType.Varint).uint64(e.term).tag(3, WireType.Varint).uint64(e.index).tag(4, WireType.LengthDelimited).bytes(e.data).finish(),
    ],
    ["bytes/protowire.ts into the record buffer (raftpb.Entry) = chosen", () => {
      buf.reset();
      encodeEntry(buf, e);
    }],
  ];
  const rows = candidates.map(([name, f]) => {
    for (let i = 0; i < 10_000; i++) f();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    return [name, fmt(((performance.now() - t0) * 1e6) / n)];
  });
  console.log("### Payload encoding of one 256 B entry\n");
  printTable(["encoding", "ns/entry"], rows);
  console.log();
}
