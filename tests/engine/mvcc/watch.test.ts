// Watchable store: synced delivery, catch-up of a watcher starting in the past (unsynced → synced without
// gap or duplicate), compaction cancelling a watcher, a stalled consumer while thousands of writes go on
// (victims), filters, prev_kv, progress notifications, cancel. Randomized parts are seeded (SEED).
import { afterAll, afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENT_DELETE, EVENT_PUT, type MvccEvent } from "../../../engine/mvcc/event.ts";
import { MvccStore } from "../../../engine/mvcc/store.ts";
import type { WatchStream } from "../../../engine/mvcc/watch_stream.ts";
import type { WatchResponse } from "../../../engine/mvcc/watcher.ts";
import { type Rng, withSeed } from "../../support/random.ts";

const dir = mkdtempSync(join(tmpdir(), "mvcc-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const dec = new TextDecoder();
const b = (x: string) => enc.encode(x);
let n = 0;
let s: MvccStore;
beforeEach(() => {
  s = MvccStore.open(join(dir, `w-${n++}.db`), { noSync: true, watch: { syncIntervalMs: 5, victimRetryMs: 2 } });
});
afterEach(() => s.close());

const summary = (ev: MvccEvent) => `${ev.type === EVENT_PUT ? "P" : "D"} ${dec.decode(ev.kv!.key)}@${ev.kv!.modRevision}`;

/** Pulls responses until one reaches `rev`, or a compaction cancel, or `ms` pass. */
async function collectUntil(ws: WatchStream, rev: number, ms = 5000): Promise<WatchResponse[]> {
  const out: WatchResponse[] = [];
  const deadline = Date.now() + ms;
  let pending = ws.next(); // one outstanding next() at a time, so no response goes to an abandoned waiter
  while (Date.now() < deadline) {
    const r = await Promise.race([pending, Bun.sleep(50).then(() => null)]);
    if (r === null) continue;
    if (r === undefined) break;
    out.push(r);
    const last = r.events.at(-1)?.kv?.modRevision ?? r.revision;
    if (last >= rev || r.compactRevision !== 0) return out;
    pending = ws.next();
  }
  throw new Error(`watch: revision ${rev} not reached in ${ms} ms (got ${out.length} responses)`);
}

/** Every response queued now. */
function drain(ws: WatchStream): WatchResponse[] {
  const out: WatchResponse[] = [];
  for (let r = ws.poll(); r !== undefined; r = ws.poll()) out.push(r);
  return out;
}

const events = (rs: WatchResponse[]) => rs.flatMap((r) => r.events);

test("an event keeps its own bytes: the writer may reuse its key and value buffers once put returns", () => {
  const ws = s.newWatchStream();
  ws.watch({ key: b("reused") });
  const key = b("reused");
  const value = b("first");
  s.put({ key, value });
  key.fill(0x7a);
  value.fill(0x7a);
  const [r] = drain(ws);
  expect(r!.events.map((ev) => [dec.decode(ev.kv!.key), dec.decode(ev.kv!.value)])).toEqual([["reused", "first"]]);
  expect(dec.decode(s.range({ key: b("reused") }).kvs[0]!.value)).toBe("first");
});

test("a synced watcher gets each write's events at its revision; range watchers; deletes carry mod revision", async () => {
  const ws = s.newWatchStream();
  const one = ws.watch({ key: b("a") });
  const range = ws.watch({ key: b("a"), rangeEnd: b("c") });
  s.put({ key: b("a"), value: b("1") }); // 2
  s.put({ key: b("b"), value: b("2") }); // 3
  s.put({ key: b("c"), value: b("3") }); // 4 (outside both)
  s.deleteRange({ key: b("a"), rangeEnd: b("z") }); // 5
  const got = drain(ws); // synced watchers are notified synchronously, as each write ends
  const byId = (id: number) => events(got.filter((r) => r.watchId === id)).map(summary);
  expect(byId(one)).toEqual(["P a@2", "D a@5"]);
  expect(byId(range)).toEqual(["P a@2", "P b@3", "D a@5", "D b@5"]);
  expect(got.find((r) => r.watchId === range && r.events.length === 2)!.revision).toBe(5);
  ws.close();
});

test("filters and prev_kv", async () => {
  const ws = s.newWatchStream();
  const noPut = ws.watch({ key: b("k"), filters: { noPut: true } });
  const noDel = ws.watch({ key: b("k"), filters: { noDelete: true }, prevKv: true });
  s.put({ key: b("k"), value: b("1") });
  s.put({ key: b("k"), value: b("2") });
  s.deleteRange({ key: b("k") });
  const got = drain(ws);
  const np = events(got.filter((r) => r.watchId === noPut));
  expect(np.map(summary)).toEqual(["D k@4"]);
  const nd = events(got.filter((r) => r.watchId === noDel));
  expect(nd.map(summary)).toEqual(["P k@2", "P k@3"]);
  expect(nd[0].prevKv).toBeUndefined();
  expect(dec.decode(nd[1].prevKv!.value)).toBe("1");
  ws.close();
});

test("a watcher starting in the past catches up from the backend in order, then follows new writes", async () => {
  for (let i = 0; i < 2500; i++) s.put({ key: b(`k${i % 10}`), value: b(`${i}`) }); // revisions 2..2501
  const ws = s.newWatchStream();
  ws.watch({ key: b("k"), rangeEnd: b("l"), startRevision: 100 });
  const first = await collectUntil(ws, 2501);
  for (let i = 0; i < 100; i++) s.put({ key: b(`k${i % 10}`), value: b("new") }); // 2502..2601
  const rest = await collectUntil(ws, 2601);
  const revs = events([...first, ...rest]).map((ev) => ev.kv!.modRevision);
  expect(revs).toEqual(Array.from({ length: 2601 - 99 }, (_, i) => 100 + i));
  expect(first.length).toBeGreaterThanOrEqual(3); // ≤ 1000 revisions per catch-up response
  ws.close();
});

test("a watcher whose start revision was compacted is cancelled with the compact revision", async () => {
  for (let i = 0; i < 50; i++) s.put({ key: b("a"), value: b(`${i}`) });
  await s.compact(40).done;
  const ws = s.newWatchStream();
  const id = ws.watch({ key: b("a"), startRevision: 10 });
  const got = await collectUntil(ws, 51);
  expect(got).toEqual([{ watchId: id, events: [], revision: 0, compactRevision: 40 }]);
  s.put({ key: b("a"), value: b("after") });
  await Bun.sleep(20);
  expect(ws.poll()).toBeUndefined();
  ws.cancel(id); // cancelling a compacted watcher is still fine, as in etcd
  ws.close();
});

test("a stalled consumer does not block writers; its events arrive later in order, without gaps", async () => {
  await withSeed("stalled-consumer test", stalledConsumer);
}, 30_000);

async function stalledConsumer(rng: Rng): Promise<void> {
  const ws = s.newWatchStream(4);
  const fast = s.newWatchStream();
  ws.watch({ key: b("k"), rangeEnd: b("l") });
  fast.watch({ key: b("k"), rangeEnd: b("l") });
  let rev = 1;
  const writes = 5000;
  const fastEvents: MvccEvent[] = [];
  for (let i = 0; i < writes; i++) {
    if (rng.int(3) === 0) s.txn({ success: [{ case: "requestPut", value: { key: b(`k${rng.int(50)}`), value: b("x") } }, { case: "requestPut", value: { key: b("other"), value: b("y") } }] });
    else s.put({ key: b(`k${rng.int(50)}`), value: b(`${i}`) });
    rev++;
    for (let r = fast.poll(); r !== undefined; r = fast.poll()) fastEvents.push(...r.events);
    if (i % 500 === 0) await Bun.sleep(1); // let timers run: victims retry while the slow stream stays full
  }
  expect(s.currentRevision).toBe(rev); // every write completed while the slow stream was full
  const slow = events(await collectUntil(ws, rev, 10_000));
  const order = (evs: MvccEvent[]) => evs.map((ev) => ev.kv!.modRevision);
  expect(order(slow)).toEqual(Array.from({ length: writes }, (_, i) => i + 2));
  fastEvents.push(...events(drain(fast)));
  expect(slow.map(summary)).toEqual(fastEvents.map(summary));
  ws.close();
  fast.close();
}

test("a consumer takes responses as they are offered; refused ones queue and come first, in order, without gaps", async () => {
  await withSeed("watch-consumer test", consumerTakes);
}, 30_000);

/** Polls ws into out until nothing has arrived for 100 ms (victims and catch-up have run). */
async function settle(ws: WatchStream, out: WatchResponse[]): Promise<void> {
  for (let quiet = 0; quiet < 10; ) {
    await Bun.sleep(10);
    const more = drain(ws);
    out.push(...more);
    quiet = more.length === 0 ? quiet + 1 : 0;
  }
}

async function consumerTakes(rng: Rng): Promise<void> {
  const ws = s.newWatchStream(4);
  ws.watch({ key: b("k"), rangeEnd: b("l") });
  ws.watch({ key: b("k7") });
  const got: WatchResponse[] = [];
  let accepting = true;
  ws.setConsumer({ take: (r) => accepting && (got.push(r), true) });
  for (let i = 0; i < 2000; i++) {
    const k = rng.int(10);
    if (rng.int(4) === 0) s.txn({ success: [{ case: "requestPut", value: { key: b(`k${k}`), value: b("x") } }, { case: "requestPut", value: { key: b(`k${(k + 1 + rng.int(9)) % 10}`), value: b("y") } }] });
    else s.put({ key: b(`k${k}`), value: b(`${i}`) });
    if (rng.int(10) === 0) accepting = !accepting;
    if (accepting && rng.int(2) === 0) for (let r = ws.poll(); r !== undefined; r = ws.poll()) got.push(r); // as a session drains before idling
    if (i % 200 === 0) await Bun.sleep(1); // victims retry
  }
  ws.setConsumer(undefined);
  await settle(ws, got);
  const byWatcher = (id: number) => got.filter((r) => r.watchId === id).flatMap((r) => r.events.map(summary));
  // what each watcher got equals what a fresh catch-up watcher from revision 2 reads from the backend
  const all = s.newWatchStream();
  all.watch({ key: b("k"), rangeEnd: b("l"), startRevision: 2 });
  all.watch({ key: b("k7"), startRevision: 2 });
  const caught: WatchResponse[] = [];
  await settle(all, caught);
  const want = (id: number) => caught.filter((r) => r.watchId === id).flatMap((r) => r.events.map(summary));
  expect(byWatcher(0)).toEqual(want(0));
  expect(byWatcher(1)).toEqual(want(1));
  expect(byWatcher(0).length).toBeGreaterThan(2000);
  ws.close();
  all.close();
}

test("progress notifications for synced watchers only; cancel stops delivery; bad ranges and ids", async () => {
  s.put({ key: b("a"), value: b("1") });
  const ws = s.newWatchStream();
  const id = ws.watch({ key: b("a") });
  ws.requestProgress(id);
  expect(ws.poll()).toEqual({ watchId: id, events: [], revision: 2, compactRevision: 0 });
  ws.cancel(id);
  s.put({ key: b("a"), value: b("2") });
  expect(ws.poll()).toBeUndefined();
  expect(() => ws.cancel(id)).toThrow("mvcc: watcher does not exist");
  expect(() => ws.watch({ key: b("b"), rangeEnd: b("a") })).toThrow("mvcc: watcher range is empty");
  ws.watch({ key: b("x"), watchId: 7 });
  expect(() => ws.watch({ key: b("y"), watchId: 7 })).toThrow("mvcc: duplicate watch ID provided on the WatchStream");
  const all = ws.watch({ key: b("a"), rangeEnd: new Uint8Array([0]), filters: { noDelete: true } });
  s.put({ key: b("zz"), value: b("3") });
  expect(ws.poll()!.events.map(summary)).toEqual(["P zz@4"]);
  expect(all).toBe(1); // auto ids continue after the last auto id (0), skipping explicit ones
  ws.close();
  expect(await ws.next()).toBeUndefined();
});

test("event types survive the backend catch-up: deletes from tombstones carry their revision", async () => {
  s.put({ key: b("a"), value: b("1") });
  s.deleteRange({ key: b("a") });
  s.put({ key: b("a"), value: b("2") });
  const ws = s.newWatchStream();
  ws.watch({ key: b("a"), startRevision: 1 });
  const evs = events(await collectUntil(ws, 4));
  expect(evs.map((e) => [e.type, e.kv!.modRevision])).toEqual([[EVENT_PUT, 2], [EVENT_DELETE, 3], [EVENT_PUT, 4]]);
  ws.close();
});
