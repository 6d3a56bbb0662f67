// Torn tails and corruption on real segment files: truncating the tail segment anywhere inside its
// last record opens cleanly (and appending continues), while any single-byte change in any earlier
// record of any file makes open fail naming that file and the record's offset.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Wal, WalCorruptionError, type Entry } from "../../../engine/wal/index.ts";
import { decodeSegment } from "../../../engine/wal/segment-decoder.ts";
import { makeEntries, META, rng, seedFromEnv, tempDir } from "./helpers.ts";

const SNAP0 = { index: 0, term: 0 };
let tmp: ReturnType<typeof tempDir>;

beforeAll(() => (tmp = tempDir()));
afterAll(() => tmp.cleanup());

interface Fixture {
  dir: string;
  segBytes: number;
  files: string[];
  pristine: Map<string, Uint8Array>;
  /** Record start offsets per file. */
  starts: Map<string, number[]>;
  entries: Entry[];
}

async function buildWal(name: string, segBytes: number, batches: number, seed: number): Promise<Fixture> {
  const dir = join(tmp.path, name);
  const rand = rng(seed);
  const w = await Wal.create(dir, META, { segmentBytes: segBytes });
  const entries: Entry[] = [];
  let next = 1;
  for (let b = 0; b < batches; b++) {
    const batch = makeEntries(1, next, 1 + Math.floor(rand() * 3), 8 + Math.floor(rand() * 60));
    await w.save({ term: 1, vote: 1n, commit: next - 1 }, batch);
    entries.push(...batch);
    next += batch.length;
  }
  // End on an entry record (no HardState after it) so "the last record" carries a payload.
  const tailEntry = makeEntries(1, next, 1, 90);
  await w.save({ term: 0, vote: 0n, commit: 0 }, tailEntry);
  entries.push(...tailEntry);
  await w.close();
  const files = readdirSync(dir).sort();
  const pristine = new Map(files.map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
  const starts = new Map<string, number[]>();
  let prev: bigint | null = null;
  files.forEach((f, i) => {
    const offs: number[] = [];
    prev = decodeSegment({ bytes: pristine.get(f)!, file: f, prevChecksum: prev, isTail: i === files.length - 1 }, (_t, _p, o) => offs.push(o)).checksum;
    starts.set(f, offs);
  });
  return { dir, segBytes, files, pristine, starts, entries };
}

function restore(fx: Fixture): void {
  for (const [f, bytes] of fx.pristine) writeFileSync(join(fx.dir, f), bytes);
}

async function openErr(fx: Fixture): Promise<unknown> {
  try {
    const w = await Wal.open(fx.dir, SNAP0, { segmentBytes: fx.segBytes });
    await w.close();
  } catch (e) {
    return e;
  }
  return null;
}

describe("torn tail", () => {
  test("truncating the tail file anywhere inside its last record opens with every earlier record", async () => {
    const seed = seedFromEnv();
    const fx = await buildWal("torn", 4096, 40, seed);
    const tailName = fx.files[fx.files.length - 1];
    const tailPath = join(fx.dir, tailName);
    const starts = fx.starts.get(tailName)!;
    const last = starts[starts.length - 1];
    const end = last + lastRecordBytes(fx, tailName);
    const kept = fx.entries.length - 1; // all but the entry in the torn record
    expect(end - last).toBeGreaterThan(100);
    for (let k = last; k < end; k++) {
      for (const mode of ["truncate", "zero"] as const) {
        restore(fx);
        if (mode === "truncate") truncateSync(tailPath, k);
        else {
          const b = fx.pristine.get(tailName)!.slice();
          b.fill(0, k);
          writeFileSync(tailPath, b);
        }
        const w = await Wal.open(fx.dir, SNAP0, { segmentBytes: fx.segBytes });
        try {
          const r = w.readAll();
          if (r.entries.length !== kept) throw new Error(`seed ${seed}: ${mode} at ${k}: ${r.entries.length} entries`);
          expect(r.entries).toEqual(fx.entries.slice(0, kept));
          expect(w.repairedTail).toEqual(k > last ? { file: tailPath, offset: last } : null);
          // Appending continues the chain from the repaired point.
          await w.save({ term: 2, vote: 1n, commit: 1 }, makeEntries(2, kept + 1, 2));
        } finally {
          await w.close();
        }
        const again = await Wal.open(fx.dir, SNAP0, { segmentBytes: fx.segBytes });
        expect(again.readAll().entries).toEqual([...fx.entries.slice(0, kept), ...makeEntries(2, kept + 1, 2)]);
        await again.close();
      }
    }
  });

  test("a truncated record in a segment before the tail is corruption, not a torn tail", async () => {
    const fx = await buildWal("torn-mid", 2048, 40, seedFromEnv());
    expect(fx.files.length).toBeGreaterThan(2);
    const name = fx.files[1];
    const starts = fx.starts.get(name)!;
    restore(fx);
    truncateSync(join(fx.dir, name), starts[starts.length - 1] + 5);
    const err = await openErr(fx);
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect(err).toMatchObject({ file: join(fx.dir, name), offset: starts[starts.length - 1] });
  });
});

function lastRecordBytes(fx: Fixture, name: string): number {
  const bytes = fx.pristine.get(name)!;
  const starts = fx.starts.get(name)!;
  const last = starts[starts.length - 1];
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const n = view.getUint32(last, true);
  return 8 + n + ((8 - (n % 8)) % 8) + 8;
}

describe("corruption", () => {
  test("any single-byte change before the last record, in any file, names that file and record", async () => {
    const seed = seedFromEnv();
    const fx = await buildWal("flip", 1536, 30, seed);
    expect(fx.files.length).toBeGreaterThan(2);
    const rand = rng(seed);
    let checked = 0;
    for (let fi = 0; fi < fx.files.length; fi++) {
      const name = fx.files[fi];
      const starts = fx.starts.get(name)!;
      const isTail = fi === fx.files.length - 1;
      const limit = isTail ? starts[starts.length - 1] : starts[starts.length - 1] + lastRecordBytes(fx, name);
      const path = join(fx.dir, name);
      for (let b = 0; b < limit; b++) {
        const bytes = fx.pristine.get(name)!.slice();
        bytes[b] ^= 1 + Math.floor(rand() * 255);
        writeFileSync(path, bytes);
        const err = await openErr(fx);
        const rec = starts.filter((s) => s <= b).pop()!;
        if (!(err instanceof WalCorruptionError) || err.file !== path || err.offset !== rec) {
          throw new Error(`seed ${seed}: flipping ${name}@${b} gave ${String(err)}; want offset ${rec}`);
        }
        writeFileSync(path, fx.pristine.get(name)!);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});
