// The library's Etcd contract as one test body, run unchanged against every implementation: the embedded
// store (open()), connect() to bunetcd, connect() to a real etcd 3.4 — so the three answer alike.
// Each case uses its own key prefix; the compaction case runs last because it discards history store-wide.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { EtcdError } from "../../../rpc/client/errors.ts";
import type { Etcd, WatchEvent } from "../../../rpc/client/types.ts";
import { runEtcdctl } from "../../support/etcd.ts";
import { tempDirs } from "../../support/tmp.ts";

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

async function rejection(p: Promise<unknown>): Promise<EtcdError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EtcdError) return e;
    throw e;
  }
  throw new Error("expected an EtcdError");
}

/** Collects `n` events of a watch, then leaves the loop (which cancels it). */
async function take(w: AsyncIterable<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  if (n === 0) return out;
  for await (const ev of w) {
    out.push(ev);
    if (out.length === n) break;
  }
  return out;
}

export interface ContractTarget {
  db: Etcd;
  stop(): Promise<void>;
}

export function etcdContract(label: string, start: () => Promise<ContractTarget>): void {
  describe(`Etcd contract: ${label}`, () => {
    let t: ContractTarget;
    let db: Etcd;
    const tmp = tempDirs("bunetcd-contract");
    beforeAll(async () => {
      t = await start();
      db = t.db;
    });
    afterAll(async () => {
      await t?.stop();
      tmp.cleanup();
    });

    test("put, get, range and delete with etcd's revisions", async () => {
      const p1 = await db.put("kv/a", "1");
      const a = await db.get("kv/a");
      expect(text(a?.value)).toBe("1");
      expect(a).toMatchObject({ createRevision: p1.revision, modRevision: p1.revision, version: 1, lease: 0n });
      const p2 = await db.put(new TextEncoder().encode("kv/a"), new Uint8Array([0, 255]), { prevKv: true });
      expect(p2.revision).toBe(p1.revision + 1);
      expect(text(p2.prevKv?.value)).toBe("1");
      expect(await db.get("kv/a")).toMatchObject({ value: new Uint8Array([0, 255]), version: 2, createRevision: p1.revision, modRevision: p2.revision });
      await db.put("kv/b", "2");
      await db.put("kv/c", "3");
      await db.put("kw", "outside");
      const r = await db.range({ prefix: "kv/", sort: { target: "key", order: "descend" }, limit: 2 });
      expect(r.kvs.map((kv) => text(kv.key))).toEqual(["kv/c", "kv/b"]);
      expect(r).toMatchObject({ count: 3, more: true });
      expect((await db.range({ key: "kv/b", end: "kv/c" })).kvs.map((kv) => text(kv.key))).toEqual(["kv/b"]);
      expect((await db.range({ key: "kv/b", end: "\0" })).kvs.map((kv) => text(kv.key))).toEqual(["kv/b", "kv/c", "kw"]);
      expect((await db.range({ prefix: "kv/", keysOnly: true })).kvs.every((kv) => kv.value.length === 0)).toBe(true);
      expect(await db.range({ prefix: "kv/", countOnly: true })).toMatchObject({ kvs: [], count: 3 });
      expect(text((await db.get("kv/a", { revision: p1.revision }))?.value)).toBe("1");
      const d = await db.delete({ prefix: "kv/" }, { prevKv: true });
      expect(d.deleted).toBe(3);
      expect(d.prevKvs.map((kv) => text(kv.key)).sort()).toEqual(["kv/a", "kv/b", "kv/c"]);
      expect(await db.get("kv/a")).toBeUndefined();
      expect((await db.delete("kv/none")).deleted).toBe(0);
    });

    test("refused requests are EtcdErrors with etcd's code and message", async () => {
      const { revision } = await db.put("err/a", "1");
      const future = await rejection(db.get("err/a", { revision: revision + 1000 }));
      expect(future).toMatchObject({ code: "OutOfRange", message: "etcdserver: mvcc: required revision is a future revision" });
      const dup = await rejection(db.txn({ success: [{ type: "put", key: "err/x", value: "1" }, { type: "put", key: "err/x", value: "2" }] }));
      expect(dup).toMatchObject({ code: "InvalidArgument", message: "etcdserver: duplicate key given in txn request" });
      await expect(db.range({})).rejects.toThrow(TypeError);
    });

    test("txn: compare, success and failure branches, nested txn", async () => {
      const create = () =>
        db.txn({
          compare: [{ key: "txn/lock", version: 0 }],
          success: [{ type: "put", key: "txn/lock", value: "me" }, { type: "range", key: "txn/lock" }],
          failure: [{ type: "range", key: "txn/lock" }],
        });
      const first = await create();
      expect(first.succeeded).toBe(true);
      expect(first.results[0]).toMatchObject({ type: "put", revision: first.revision });
      const second = await create();
      expect(second.succeeded).toBe(false);
      const got = second.results[0]!;
      expect(got.type).toBe("range");
      if (got.type === "range") expect(text(got.kvs[0]?.value)).toBe("me");
      const lock = (await db.get("txn/lock"))!;
      const nested = await db.txn({
        compare: [{ key: "txn/lock", modRevision: lock.modRevision + 1, op: "<" }, { key: "txn/lock", value: "me" }],
        success: [{ type: "txn", compare: [{ key: "txn/other", version: 0, op: "!=" }], success: [], failure: [{ type: "delete", key: "txn/lock", prevKv: true }] }],
      });
      expect(nested.succeeded).toBe(true);
      const inner = nested.results[0]!;
      expect(inner.type === "txn" && inner.succeeded).toBe(false);
      if (inner.type === "txn") expect(inner.results[0]).toMatchObject({ type: "delete", deleted: 1 });
      expect(await db.get("txn/lock")).toBeUndefined();
    });

    test("watch: events in order, from a past revision, prevKv, cancel by leaving the loop", async () => {
      const first = await db.put("w/a", "1");
      await db.put("w/b", "2");
      await db.delete("w/a");
      const past = await take(db.watch({ prefix: "w/" }, { startRevision: first.revision, prevKv: true }), 3);
      expect(past.map((e) => [e.type, text(e.kv.key), e.kv.modRevision - first.revision])).toEqual([["put", "w/a", 0], ["put", "w/b", 1], ["delete", "w/a", 2]]);
      expect(text(past[2]!.prevKv?.value)).toBe("1");

      const live = db.watch("w/live");
      const from = await live.ready;
      const seen = take(live, 2);
      await db.put("w/other", "x");
      const p1 = await db.put("w/live", "1");
      await db.put("w/live", "2");
      const events = await seen;
      expect(p1.revision).toBeGreaterThan(from);
      expect(events.map((e) => [text(e.kv.key), text(e.kv.value), e.kv.version])).toEqual([["w/live", "1", 1], ["w/live", "2", 2]]);
      // The loop was left: the watch is cancelled, later writes go nowhere and iterating again is refused.
      await db.put("w/live", "3");
      const again = (async () => {
        for await (const _ of live) return "got";
        return "ended";
      })();
      expect(await again.catch((e: Error) => e.message)).toContain("only once");

      const filtered = db.watch({ prefix: "w/f" }, { noPut: true });
      await filtered.ready;
      const del = take(filtered, 1);
      await db.put("w/f1", "x");
      await db.delete("w/f1");
      expect((await del).map((e) => e.type)).toEqual(["delete"]);

      const ac = new AbortController();
      const aborted = db.watch("w/abort", { signal: ac.signal });
      await aborted.ready;
      const ended = take(aborted, 5);
      ac.abort();
      expect(await ended).toEqual([]);
    });

    test("lease: grant, attach, time-to-live, keep-alive, revoke deletes the keys", async () => {
      const l = await db.lease.grant(30);
      expect(l.ttl).toBe(30);
      await db.put("lease/a", "1", { lease: l.id });
      await db.put("lease/b", "2", { lease: l.id });
      expect((await db.get("lease/a"))?.lease).toBe(l.id);
      const ttl = await db.lease.timeToLive(l.id, { keys: true });
      expect(ttl?.grantedTtl).toBe(30);
      expect(ttl!.ttl).toBeLessThanOrEqual(30);
      expect(ttl!.keys.map(text).sort()).toEqual(["lease/a", "lease/b"]);
      expect(await db.lease.leases()).toContain(l.id);
      expect(await db.lease.keepAliveOnce(l.id)).toEqual({ id: l.id, ttl: 30 });
      const ka = await db.lease.keepAlive(l.id);
      expect(ka.ttl).toBe(30);
      ka.close();
      await ka.done;
      await db.lease.revoke(l.id);
      expect((await db.range({ prefix: "lease/" })).count).toBe(0);
      expect(await db.lease.timeToLive(l.id)).toBeUndefined();
      expect(await rejection(db.lease.revoke(l.id))).toMatchObject({ code: "NotFound", message: "etcdserver: requested lease not found" });
      expect((await rejection(db.lease.keepAliveOnce(l.id))).code).toBe("NotFound");
      const chosen = await db.lease.grant(60, { id: 0x1234n });
      expect(chosen.id).toBe(0x1234n);
      await db.lease.revoke(chosen.id);
    });

    test("a kept-alive lease outlives its TTL; after close() it expires", async () => {
      const l = await db.lease.grant(2);
      await db.put("ka/k", "v", { lease: l.id });
      const ka = await db.lease.keepAlive(l.id);
      await Bun.sleep(3500);
      expect(await db.get("ka/k")).toBeDefined();
      ka.close();
      await ka.done;
      const deadline = Date.now() + 10_000;
      while ((await db.get("ka/k")) && Date.now() < deadline) await Bun.sleep(200);
      expect(await db.get("ka/k")).toBeUndefined();
    }, 20_000);

    test("snapshot(path) writes a file `etcdctl snapshot status` accepts; status()", async () => {
      const { revision } = await db.put("snap/a", "1");
      const path = join(tmp.make(), "snap.db");
      const r = await db.snapshot(path);
      expect(statSync(path).size).toBe(r.size);
      expect(existsSync(`${path}.part`)).toBe(false);
      const st = await runEtcdctl("unused:0", ["snapshot", "status", path, "-w", "json"]);
      expect(st.code).toBe(0);
      expect(JSON.parse(st.stdout).revision).toBeGreaterThanOrEqual(revision);
      const s = await db.status();
      expect(s.version).toMatch(/^3\.4\./);
      expect(s.leader).toBe(s.memberId);
      expect(s.revision).toBeGreaterThanOrEqual(revision);
    });

    test("compact: old revisions are gone for reads and watches", async () => {
      const old = await db.put("cmp/a", "1");
      const now = await db.put("cmp/a", "2");
      await db.compact(now.revision, { physical: true });
      expect(await rejection(db.get("cmp/a", { revision: old.revision }))).toMatchObject({ code: "OutOfRange", message: "etcdserver: mvcc: required revision has been compacted" });
      expect(text((await db.get("cmp/a"))?.value)).toBe("2");
      const err = await rejection(take(db.watch("cmp/a", { startRevision: old.revision }), 1));
      expect(err).toMatchObject({ code: "OutOfRange", compactRevision: now.revision });
    });
  });
}
