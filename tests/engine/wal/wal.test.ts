// The WAL through its public API: create/open/readAll, group commit, overwritten suffixes, segment
// cutting and reading across files, snapshots and release, locking, and the errors open reports.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { LockedError } from "../../../engine/fs/lock.ts";
import { Wal, WalError, walExists, type Entry, type HardState } from "../../../engine/wal/index.ts";
import { makeEntries, META, tempDir } from "./helpers.ts";

const SEG = 16 * 1024;
let tmp: ReturnType<typeof tempDir>;
let dir: string;
const open: Wal[] = [];

beforeEach(() => {
  tmp = tempDir();
  dir = join(tmp.path, "member", "wal");
});
afterEach(async () => {
  for (const w of open.splice(0)) await w.close().catch(() => {});
  tmp.cleanup();
});

async function create(segmentBytes = SEG): Promise<Wal> {
  const w = await Wal.create(dir, META, { segmentBytes });
  open.push(w);
  return w;
}
async function reopen(snap = { index: 0, term: 0 }, segmentBytes = SEG): Promise<Wal> {
  const w = await Wal.open(dir, snap, { segmentBytes });
  open.push(w);
  return w;
}
async function closeAll(): Promise<void> {
  for (const w of open.splice(0)) await w.close();
}
const hs = (term: number, commit: number): HardState => ({ term, vote: 1n, commit });
const indexes = (es: Entry[]) => es.map((e) => e.index);

describe("create and open", () => {
  test("a new WAL reads back empty, with its metadata", async () => {
    const w = await create();
    expect(w.readAll()).toEqual({ metadata: META, hardState: { term: 0, vote: 0n, commit: 0 }, entries: [] });
    expect(walExists(dir)).toBe(true);
    expect(existsSync(dir + ".tmp")).toBe(false);
    await closeAll();
    expect((await reopen()).readAll()).toEqual({ metadata: META, hardState: { term: 0, vote: 0n, commit: 0 }, entries: [] });
  });

  test("create refuses a directory that already holds a WAL", async () => {
    await create();
    await closeAll();
    await expect(Wal.create(dir, META)).rejects.toMatchObject({ code: "exists" });
  });

  test("saved entries and the last HardState come back after reopening", async () => {
    const w = await create();
    await w.save(hs(1, 0), makeEntries(1, 1, 5));
    await w.save(hs(2, 5), makeEntries(2, 6, 3));
    await closeAll();
    const r = (await reopen()).readAll();
    expect(r.metadata).toEqual(META);
    expect(r.hardState).toEqual(hs(2, 5));
    expect(r.entries).toEqual([...makeEntries(1, 1, 5), ...makeEntries(2, 6, 3)]);
  });

  test("readAll may be called once", async () => {
    const w = await create();
    w.readAll();
    expect(() => w.readAll()).toThrow(WalError);
  });

  test("a second opener is refused while the WAL is held", async () => {
    await create();
    await expect(Wal.open(dir, { index: 0, term: 0 })).rejects.toBeInstanceOf(LockedError);
    await closeAll();
    await reopen();
  });

  test("save after close is rejected", async () => {
    const w = await create();
    await closeAll();
    await expect(w.save(hs(1, 0), makeEntries(1, 1, 1))).rejects.toMatchObject({ code: "closed" });
  });
});

describe("save", () => {
  test("an empty save writes and syncs nothing", async () => {
    const w = await create();
    const before = { ...w.stats };
    await w.save({ term: 0, vote: 0n, commit: 0 }, []);
    expect(w.stats).toEqual(before);
  });

  test("each save is one write and one fdatasync; concurrent saves share one", async () => {
    const w = await create(1 << 20);
    for (let i = 0; i < 5; i++) await w.save(hs(1, i), makeEntries(1, i * 10 + 1, 10));
    expect(w.stats.fsyncs).toBe(5);
    const saves = [];
    for (let i = 5; i < 25; i++) saves.push(w.save(hs(1, i), makeEntries(1, i * 10 + 1, 10)));
    await Promise.all(saves);
    expect(w.stats.fsyncs).toBe(6);
    await closeAll();
    expect(indexes((await reopen(undefined, 1 << 20)).readAll().entries)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
  });

  test("the event loop keeps running while a save is being synced", async () => {
    const w = await create(64 << 20);
    let ticks = 0;
    let done = false;
    const tick = () => {
      ticks++;
      if (!done) setImmediate(tick);
    };
    const saving = w.save(hs(1, 0), makeEntries(1, 1, 2048, 4096)).then(() => (done = true));
    setImmediate(tick);
    await saving;
    expect(ticks).toBeGreaterThan(0);
  });

  test("an entry whose index repeats replaces the tail from there (new leader overwrote it)", async () => {
    const w = await create();
    await w.save(hs(1, 3), makeEntries(1, 1, 10));
    await w.save(hs(2, 3), makeEntries(2, 6, 3));
    await closeAll();
    const r = (await reopen()).readAll();
    expect(r.entries).toEqual([...makeEntries(1, 1, 5), ...makeEntries(2, 6, 3)]);
    expect(r.hardState).toEqual(hs(2, 3));
  });

  test("an entry that skips ahead of the log is an error on open", async () => {
    const w = await create();
    await w.save(hs(1, 0), makeEntries(1, 1, 3));
    await w.save(hs(1, 0), makeEntries(1, 5, 1));
    await closeAll();
    await expect(Wal.open(dir, { index: 0, term: 0 })).rejects.toMatchObject({ code: "entry-gap" });
  });
});

describe("segments", () => {
  test("the tail is cut when full; reads cross every file; old files hold only their records", async () => {
    const w = await create();
    let next = 1;
    let lastHs = hs(0, 0);
    for (let batch = 0; batch < 150; batch++) {
      const n = 1 + (batch % 7);
      lastHs = hs(1, next - 1);
      await w.save(lastHs, makeEntries(1, next, n, 200));
      next += n;
    }
    const names = w.segmentNames();
    expect(names.length).toBeGreaterThan(5);
    expect(w.stats.cuts).toBe(names.length - 1);
    await closeAll();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(names);
    names.forEach((name, seq) => expect(name.startsWith(seq.toString(16).padStart(16, "0") + "-")).toBe(true));
    for (const name of names.slice(0, -1)) expect(statSync(join(dir, name)).size).toBeLessThan(SEG + 2048);
    expect(statSync(join(dir, names[names.length - 1])).size).toBe(SEG);
    const r = (await reopen()).readAll();
    expect(indexes(r.entries)).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
    expect(r.entries).toEqual(makeEntries(1, 1, next - 1, 200));
    expect(r.hardState).toEqual(lastHs);
  });

  test("each file is named after the first index it will hold", async () => {
    const w = await create(4096);
    for (let i = 1; i <= 100; i++) await w.save(hs(1, i - 1), makeEntries(1, i, 1, 300));
    await closeAll();
    const r = (await reopen({ index: 0, term: 0 }, 4096)).readAll();
    expect(r.entries.length).toBe(100);
    const firsts = readdirSync(dir).sort().map((n) => parseInt(n.slice(17, 33), 16));
    for (let i = 1; i < firsts.length; i++) expect(firsts[i]).toBeGreaterThan(firsts[i - 1]);
  });
});

describe("snapshots and release", () => {
  async function fill(w: Wal, from: number, to: number): Promise<void> {
    for (let i = from; i <= to; i += 4) await w.save(hs(1, i - 1), makeEntries(1, i, Math.min(4, to - i + 1), 250));
  }

  test("open positions after the snapshot; release removes segments wholly before it", async () => {
    const w = await create();
    await fill(w, 1, 400);
    await w.saveSnapshot({ index: 300, term: 1, confState: { voters: [1n, 2n, 3n], learners: [] } });
    const before = w.segmentNames();
    await w.releaseLockTo(300);
    const after = w.segmentNames();
    expect(after.length).toBeLessThan(before.length);
    expect(readdirSync(dir).sort()).toEqual(after);
    // The first kept segment starts at or below the snapshot, the next one above it.
    expect(parseInt(after[0].slice(17, 33), 16)).toBeLessThanOrEqual(300);
    if (after.length > 1) expect(parseInt(after[1].slice(17, 33), 16)).toBeGreaterThanOrEqual(300);
    await fill(w, 401, 420);
    await closeAll();

    const r = (await reopen({ index: 300, term: 1 })).readAll();
    expect(indexes(r.entries)).toEqual(Array.from({ length: 120 }, (_, i) => 301 + i));
    await closeAll();
    await expect(Wal.open(dir, { index: 0, term: 0 })).rejects.toMatchObject({ code: "not-found" });
  });

  test("a snapshot the WAL never recorded, or with another term, is refused", async () => {
    const w = await create();
    await fill(w, 1, 20);
    await w.saveSnapshot({ index: 10, term: 1 });
    await closeAll();
    await expect(Wal.open(dir, { index: 12, term: 1 })).rejects.toMatchObject({ code: "snapshot-not-found" });
    await expect(Wal.open(dir, { index: 10, term: 2 })).rejects.toMatchObject({ code: "snapshot-mismatch" });
    expect((await reopen({ index: 10, term: 1 })).readAll().entries.length).toBe(10);
  });

  test("a snapshot ahead of the log (sent by a leader) is followed by the entries after it", async () => {
    const w = await create(2048);
    await fill(w, 1, 8);
    await w.saveSnapshot({ index: 1000, term: 3 });
    await w.save(hs(3, 1000), makeEntries(3, 1001, 8, 250));
    for (const n of w.segmentNames().slice(1)) expect(parseInt(n.slice(17, 33), 16)).not.toBe(0);
    await closeAll();
    expect(indexes((await reopen({ index: 1000, term: 3 }, 2048)).readAll().entries)).toEqual(
      Array.from({ length: 8 }, (_, i) => 1001 + i),
    );
  });
});
