// Defragmentation during concurrent writes loses nothing: 32 clients overwrite their own keys (values of
// 100–1,500 bytes, so the file has garbage to reclaim) while Maintenance.Defragment runs five times, with a
// compaction in between. Every put must succeed; afterwards every key holds the value of its last
// acknowledged put, the revision advanced by exactly the number of puts, and after a clean stop
// `bunetcd backend check` passes on the backend file.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { clientTransport } from "../../rpc/client/transport.ts";
import { KV, Maintenance } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { runBunetcd, startBunetcd } from "../support/bunetcd.ts";
import { bytes, KvClient, prefixEnd } from "../support/kv_client.ts";
import { tempDirs } from "../support/tmp.ts";

const WRITERS = 32, KEYS_PER_WRITER = 50, DEFRAGS = 5;
const dirs = tempDirs("bunetcd-defragwrites-");
afterAll(() => dirs.cleanup());

test("defragment five times under 32 concurrent writers: every acknowledged put survives, the file checks out", async () => {
  const dataDir = dirs.make("data");
  const server = await startBunetcd(dataDir);
  const acked = new Map<string, string>();
  let puts = 0;
  const errors: string[] = [];
  let defrags = 0;
  try {
    const transport = clientTransport(server.endpoint);
    const maintenance = createClient(Maintenance, transport);
    const kv = createClient(KV, transport);
    const startRev = (await kv.range({ key: bytes("x") })).header!.revision;
    let writing = true;
    const clients = await Promise.all(Array.from({ length: WRITERS }, () => KvClient.connect(server.endpoint)));
    const writers = clients.map(async (c, w) => {
      for (let i = 0; writing || i < KEYS_PER_WRITER; i++) {
        const key = `d/${w}/${i % KEYS_PER_WRITER}`;
        const value = `${w}.${i}.`.padEnd(100 + ((i * 37 + w * 11) % 1400), "x");
        try {
          await c.put(key, value);
          acked.set(key, value);
          puts++;
        } catch (e) {
          errors.push(`${key}: ${(e as Error).message}`);
        }
      }
    });
    for (let d = 0; d < DEFRAGS; d++) {
      await Bun.sleep(300);
      if (d === 2) {
        const rev = (await kv.range({ key: bytes("x") })).header!.revision;
        await kv.compact({ revision: rev, physical: true });
      }
      await maintenance.defragment({});
      defrags++;
    }
    await Bun.sleep(300);
    writing = false;
    await Promise.all(writers);
    for (const c of clients) c.close();

    expect(errors).toEqual([]);
    expect(defrags).toBe(DEFRAGS);
    expect(acked.size).toBe(WRITERS * KEYS_PER_WRITER);
    const got = await kv.range({ key: bytes("d/"), rangeEnd: prefixEnd(bytes("d/")) });
    const dec = new TextDecoder();
    const stored = new Map(got.kvs.map((k) => [dec.decode(k.key), dec.decode(k.value)]));
    expect(stored.size).toBe(acked.size);
    let wrong = 0;
    for (const [k, v] of acked) if (stored.get(k) !== v && wrong++ < 5) expect({ k, v: stored.get(k)?.slice(0, 20) }).toEqual({ k, v: v.slice(0, 20) });
    expect(wrong).toBe(0);
    expect(got.header!.revision - startRev).toBe(BigInt(puts));
    expect(server.logTail().match(/finished defragmenting/g)?.length).toBe(DEFRAGS);
    console.log(`defrag under writes: ${puts} puts, ${DEFRAGS} defragments, ${acked.size} keys verified`);
  } finally {
    await server.stop();
  }
  const check = await runBunetcd(["backend", "check", join(dataDir, "member/snap/db")]);
  expect({ code: check.code, out: check.stdout.trim(), err: check.stderr }).toEqual({ code: 0, out: "OK", err: "" });
}, 60_000);
