// Watch under load, against the compiled bunetcd: 1,000 watchers over 10 gRPC Watch streams (each its own
// HTTP/2 connection) on single keys, prefixes, ranges and the whole key space, while 20,000 puts go in from
// 40 concurrent clients. Every put's revision is taken from its response (the put log); afterwards every
// watcher must have received exactly the log's events for its range: in revision order, each once, with the
// right key, value and revision, and no watcher canceled or compacted.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { clientTransport } from "../../rpc/client/transport.ts";
import { Watch, type WatchRequest, WatchRequestSchema, type WatchResponse } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { compareBytes } from "../../engine/bytes/compare.ts";
import { type Member } from "../support/etcd.ts";
import { startBunetcd } from "../support/bunetcd.ts";
import { bytes, KvClient, prefixEnd } from "../support/kv_client.ts";
import { tempDirs } from "../support/tmp.ts";

const STREAMS = 10, PER_STREAM = 100, PUTS = 20_000, WRITERS = 40, GROUPS = 20, KEYS_PER_GROUP = 100;
const dirs = tempDirs("bunetcd-watchload-");
let server: Member;
beforeAll(async () => {
  server = await startBunetcd(dirs.make("data"));
}, 60_000);
afterAll(async () => {
  try {
    await server?.stop();
  } finally {
    dirs.cleanup();
  }
});

const keyOf = (g: number, n: number) => `w/${String(g).padStart(2, "0")}/${String(n).padStart(3, "0")}`;

interface Spec {
  key: Uint8Array;
  end?: Uint8Array;
}
interface Put {
  key: Uint8Array;
  value: string;
  rev: bigint;
}

/** Watcher i of stream s: a prefix, a range, the whole space, or one key (most of them). */
function spec(s: number, i: number): Spec {
  const g = (s * PER_STREAM + i) % GROUPS;
  if (i === PER_STREAM - 1) return { key: bytes("w/"), end: prefixEnd(bytes("w/")) };
  if (i % 10 === 0) return { key: bytes(`w/${String(g).padStart(2, "0")}/`), end: prefixEnd(bytes(`w/${String(g).padStart(2, "0")}/`)) };
  if (i % 10 === 1) return { key: bytes(keyOf(g, (i * 7) % 80)), end: bytes(keyOf(g, ((i * 7) % 80) + 20)) };
  return { key: bytes(keyOf(g, (s * 31 + i * 13) % KEYS_PER_GROUP)) };
}

function inRange(sp: Spec, key: Uint8Array): boolean {
  if (!sp.end) return compareBytes(key, sp.key) === 0;
  return compareBytes(key, sp.key) >= 0 && compareBytes(key, sp.end) < 0;
}

/** A request stream that stays open until end() (a Watch call ends when its requests do). */
function feed(first: WatchRequest[]) {
  let close!: () => void;
  const closed = new Promise<void>((r) => (close = r));
  return {
    end: close,
    async *[Symbol.asyncIterator]() {
      yield* first;
      await closed;
    },
  };
}

interface Received {
  spec: Spec;
  events: { key: Uint8Array; value: string; rev: bigint; type: number }[];
  problems: string[];
}

function openStream(endpoint: string, s: number, onCreated: () => void) {
  const specs = Array.from({ length: PER_STREAM }, (_, i) => spec(s, i));
  const reqs = specs.map((sp) => create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: sp.key, rangeEnd: sp.end ?? new Uint8Array() } } }));
  const f = feed(reqs);
  // etcd keeps a Watch call open after the client half-closes; the client ends it by cancelling.
  const abort = new AbortController();
  const byId = new Map<bigint, Received>();
  const pending = [...specs];
  const dec = new TextDecoder();
  const run = (async () => {
    const responses = createClient(Watch, clientTransport(endpoint)).watch(f, { signal: abort.signal }) as AsyncIterable<WatchResponse>;
    for await (const r of responses) {
      if (r.created) {
        byId.set(r.watchId, { spec: pending.shift()!, events: [], problems: [] });
        onCreated();
        continue;
      }
      const w = byId.get(r.watchId);
      if (!w) throw new Error(`stream ${s}: response for unknown watch ${r.watchId}`);
      if (r.canceled || r.compactRevision !== 0n) w.problems.push(`canceled=${r.canceled} compact=${r.compactRevision} ${r.cancelReason}`);
      for (const e of r.events) w.events.push({ key: e.kv!.key, value: dec.decode(e.kv!.value), rev: e.kv!.modRevision, type: e.type });
    }
  })().catch((e) => {
    if (!abort.signal.aborted) throw e;
  });
  return {
    watchers: () => [...byId.values()],
    end: () => {
      f.end();
      abort.abort();
    },
    run,
  };
}

test("1,000 watchers on 10 streams each get exactly their events of 20,000 concurrent puts, in order", async () => {
  let created = 0;
  const streams = Array.from({ length: STREAMS }, (_, s) => openStream(server.endpoint, s, () => created++));
  const deadline = performance.now() + 20_000;
  const tc = performance.now();
  while (created < STREAMS * PER_STREAM && performance.now() < deadline) await Bun.sleep(20);
  expect(created).toBe(STREAMS * PER_STREAM);
  const createMs = performance.now() - tc;

  const log: Put[] = [];
  let next = 0;
  const writers = await Promise.all(Array.from({ length: WRITERS }, () => KvClient.connect(server.endpoint)));
  const t0 = performance.now();
  await Promise.all(
    writers.map(async (c) => {
      for (let i = next++; i < PUTS; i = next++) {
        const key = bytes(keyOf(i % GROUPS, Math.floor(i / GROUPS) % KEYS_PER_GROUP));
        const value = `v${i}`;
        const r = await c.put(key, value);
        log.push({ key, value, rev: r.header!.revision });
      }
    }),
  );
  const putMs = performance.now() - t0;
  for (const c of writers) c.close();
  log.sort((a, b) => (a.rev < b.rev ? -1 : 1));
  // each put is one revision: the log has no gaps or repeats
  expect(log[log.length - 1].rev - log[0].rev).toBe(BigInt(PUTS - 1));

  const all = streams.flatMap((s) => s.watchers());
  const byKey = new Map<string, Put[]>();
  for (const p of log) {
    const k = Buffer.from(p.key).toString();
    byKey.set(k, [...(byKey.get(k) ?? []), p]);
  }
  const keys = [...byKey.keys()].map((k) => ({ k, b: bytes(k) }));
  const expected = all.map((w) => {
    const mine = keys.filter(({ b }) => inRange(w.spec, b)).flatMap(({ k }) => byKey.get(k)!);
    return mine.sort((a, b) => (a.rev < b.rev ? -1 : 1));
  });
  const total = expected.reduce((n, e) => n + e.length, 0);
  const waitUntil = performance.now() + 30_000;
  const received = () => all.reduce((n, w) => n + w.events.length, 0);
  while (received() < total && performance.now() < waitUntil) await Bun.sleep(50);
  const drainMs = performance.now() - t0 - putMs;
  await Bun.sleep(200); // anything beyond the expected count would be a duplicate: give it time to show
  for (const s of streams) s.end();
  await Promise.all(streams.map((s) => s.run));

  let bad = 0;
  all.forEach((w, i) => {
    const want = expected[i].map((p) => ({ key: Buffer.from(p.key).toString(), value: p.value, rev: p.rev, type: 0 }));
    const got = w.events.map((e) => ({ key: Buffer.from(e.key).toString(), value: e.value, rev: e.rev, type: e.type }));
    if (w.problems.length > 0 || !Bun.deepEquals(got, want)) {
      if (bad++ < 3) expect({ watcher: i, problems: w.problems, got: got.length }).toEqual({ watcher: i, problems: [], got: want.length });
      expect(got).toEqual(want);
    }
  });
  expect(bad).toBe(0);
  console.log(
    `watch load: ${all.length} watchers created in ${createMs.toFixed(0)} ms; ${PUTS} puts in ${putMs.toFixed(0)} ms ` +
      `(${((PUTS * 1000) / putMs).toFixed(0)}/s); ${total} events delivered ${drainMs.toFixed(0)} ms after the last put`,
  );
}, 120_000);
