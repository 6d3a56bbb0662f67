// Crash safety of the target (E2E_TARGET): concurrent clients put unique keys and record every acknowledged
// put with its response revision; the server is SIGKILLed at a random moment and restarted on the same data
// dir, several times. After every restart: each acknowledged put is there with its value and revision, and the
// revisions of all keys present are exactly 2..current (no gap, no duplicate: nothing acknowledged was lost
// and nothing was applied twice). A low --snapshot-count makes restarts go through snapshot + WAL replay.
// Finally a clean stop, and `bunetcd backend check` says the bbolt file is sound. SEED=<n> replays the kill delays and values.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Member } from "../support/etcd.ts";
import { runBunetcd } from "../support/bunetcd.ts";
import { KvClient } from "../support/kv_client.ts";
import { Rng, testSeed } from "../support/random.ts";
import { target } from "../support/target.ts";
import { tempDirs } from "../support/tmp.ts";

const CYCLES = 6;
const CONNS = 4;
const STREAMS_PER_CONN = 4;
const FLAGS = ["--snapshot-count", "500"];
const dirs = tempDirs("e2e-crash-");
const tgt = target();
const running = new Set<Member>();
afterAll(async () => {
  try {
    for (const m of running) await m.kill();
  } finally {
    dirs.cleanup();
  }
});

interface Ack {
  key: string;
  value: string;
  revision: bigint;
}

async function start(dataDir: string): Promise<Member> {
  const m = await tgt.start(dataDir, FLAGS);
  running.add(m);
  return m;
}

/** Puts unique keys from CONNS × STREAMS_PER_CONN loops until the connection fails; returns the acks. */
async function writeUntilDead(endpoint: string, cycle: number, rng: Rng, acks: Ack[]): Promise<void> {
  const clients = await Promise.all(Array.from({ length: CONNS }, () => KvClient.connect(endpoint)));
  const loop = async (c: KvClient, id: string) => {
    for (let seq = 0; ; seq++) {
      const key = `k/${cycle}/${id}/${seq}`;
      const value = `${key}=${rng.int(1e9)}`;
      try {
        const r = await c.put(key, value);
        acks.push({ key, value, revision: r.header!.revision });
      } catch {
        return;
      }
    }
  };
  try {
    await Promise.all(clients.flatMap((c, i) => Array.from({ length: STREAMS_PER_CONN }, (_, j) => loop(c, `${i}.${j}`))));
  } finally {
    for (const c of clients) c.close();
  }
}

/** Every ack present as acknowledged; revisions of all keys are exactly 2..header revision. */
async function verify(endpoint: string, acks: Ack[]): Promise<number> {
  const c = await KvClient.connect(endpoint);
  try {
    const r = await c.rangePrefix("k/");
    const dec = new TextDecoder();
    const byKey = new Map(r.kvs.map((kv) => [dec.decode(kv.key), kv]));
    const lost = acks.filter((a) => {
      const kv = byKey.get(a.key);
      return !kv || dec.decode(kv.value) !== a.value || kv.modRevision !== a.revision;
    });
    expect(lost.slice(0, 5).map((a) => `${a.key}@${a.revision}`)).toEqual([]);
    const revs = r.kvs.map((kv) => kv.modRevision).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const current = r.header!.revision;
    expect(revs.length).toBe(Number(current) - 1);
    const gaps = revs.filter((rev, i) => rev !== BigInt(i + 2));
    expect(gaps.slice(0, 5)).toEqual([]);
    expect(r.kvs.every((kv) => kv.version === 1n && kv.createRevision === kv.modRevision)).toBe(true);
    return r.kvs.length;
  } finally {
    c.close();
  }
}

test(`crash (SIGKILL) and restart ${CYCLES}× keeps every acknowledged put, revisions gap-free (${tgt.name})`, async () => {
  const seed = testSeed();
  console.log(`crash test seed ${seed} (SEED=${seed} replays the kill delays and values)`);
  const rng = new Rng(seed);
  const dataDir = dirs.make(tgt.name);
  const acks: Ack[] = [];
  let m = await start(dataDir);
  try {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const writing = writeUntilDead(m.endpoint, cycle, rng, acks);
      await Bun.sleep(150 + rng.int(900));
      await m.kill();
      running.delete(m);
      await writing;
      m = await start(dataDir);
      const keys = await verify(m.endpoint, acks);
      console.log(`cycle ${cycle}: ${acks.length} acknowledged puts, ${keys} keys after restart`);
    }
    expect(acks.length).toBeGreaterThan(CYCLES);
  } finally {
    running.delete(m);
    await m.stop();
  }
  const check = await runBunetcd(["backend", "check", join(dataDir, "member", "snap", "db")]);
  expect(check).toEqual({ code: 0, stdout: "OK\n", stderr: "" });
}, 180_000);
