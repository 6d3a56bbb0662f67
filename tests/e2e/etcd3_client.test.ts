// The npm `etcd3` client (grpc-js underneath) against the target and against a real etcd: the same scenario
// (put/get/delete, prefix and sorted ranges, txn if/then/else on value/version/create/mod, leases, a watch,
// error mapping) on both; the results, with cluster-specific header fields masked, must be equal.
import { describe, expect, test } from "bun:test";
import { Etcd3 } from "etcd3";
import type { Member } from "../support/etcd.ts";
import { refAndTarget } from "../support/pair.ts";

const SLOW = 120_000;
const STEP_GUARD_MS = 5_000;
const pair = refAndTarget("e2e-etcd3-");

/** JSON-safe copy with cluster_id/member_id/raft_term masked and Buffers as strings. */
function masked(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString("latin1");
  if (Array.isArray(v)) return v.map(masked);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ["cluster_id", "member_id", "raft_term", "ID"].includes(k) ? "<masked>" : masked(x)]));
  }
  return v;
}

/** The step's result, or its error; a step that never settles gives "no answer" (a hang guard, not a timing check). */
async function attempt(f: () => Promise<unknown>): Promise<unknown> {
  let timer: Timer | undefined;
  const hang = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("no answer within 5 s")), STEP_GUARD_MS)));
  try {
    return masked(await Promise.race([f(), hang]));
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** The scenario: each entry is one observable result. */
async function scenario(c: Etcd3): Promise<Record<string, unknown>> {
  const r: Record<string, unknown> = {};
  const step = async (name: string, f: () => Promise<unknown>) => void (r[name] = await attempt(f));
  await step("put a", () => c.put("a").value("1").exec());
  await step("put b", () => c.put("b").value("2").exec());
  for (const k of ["p/3", "p/1", "p/2", "q"]) await step(`put ${k}`, () => c.put(k).value(`v-${k}`).exec());
  await step("put a again (prev kv)", () => c.put("a").value("11").getPrevious());
  await step("get a", () => c.get("a").string());
  await step("get a raw", () => c.get("a").exec());
  await step("get missing", () => c.get("zz").string());
  await step("exists b", () => c.get("b").exists());
  await step("get a at rev 2", () => c.get("a").revision(2).string());
  await step("get serializable", () => c.get("a").serializable(true).string());
  await step("prefix strings", () => c.getAll().prefix("p/").strings());
  await step("prefix keys desc by key", () => c.getAll().prefix("p/").sort("Key", "Descend").keys());
  await step("all sorted by mod, limit 3", () => c.getAll().sort("Mod", "Ascend").limit(3).keys());
  await step("all by value desc", () => c.getAll().sort("Value", "Descend").strings());
  await step("count", () => c.getAll().count());
  await step("prefix raw", () => c.getAll().prefix("p/").exec());
  await step("min mod revision", () => c.getAll().minModRevision(5).keys());
  await step("txn value == (then)", () => c.if("a", "Value", "==", "11").then(c.put("t").value("then"), c.get("a")).else(c.put("t").value("else")).commit());
  await step("txn value != (else)", () => c.if("a", "Value", "!=", "11").then(c.put("t").value("then2")).else(c.get("t"), c.delete().key("b")).commit());
  await step("txn version > and create <", () => c.if("a", "Version", ">", 1).and("p/1", "Create", "<", 100).then(c.put("u").value("x")).commit());
  await step("txn mod = (false)", () => c.if("a", "Mod", "==", 1).then(c.put("u").value("y")).else(c.getAll().prefix("p/")).commit());
  await step("txn duplicate put", () => c.if("a", "Version", ">", 0).then(c.put("d").value("1"), c.put("d").value("2")).commit());
  await step("delete key", () => c.delete().key("q").exec());
  await step("delete prefix prev", () => c.delete().prefix("p/").getPrevious());
  await step("delete missing", () => c.delete().key("nope").exec());
  await step("after deletes", () => c.getAll().strings());
  await step("empty key put", () => c.put("").value("x").exec());
  await step("compact, then read below it", async () => {
    const rev = (await c.put("cmp").value("1").exec()).header!.revision!;
    await c.put("cmp").value("2");
    await c.kv.compact({ revision: rev, physical: true });
    return { atCompacted: await attempt(() => c.get("cmp").revision(rev).string()), below: await attempt(() => c.get("cmp").revision(Number(rev) - 1).string()) };
  });
  return r;
}

/** Leases: a leased key exists until the lease is revoked. */
async function leases(c: Etcd3): Promise<Record<string, unknown>> {
  const r: Record<string, unknown> = {};
  const step = async (name: string, f: () => Promise<unknown>) => void (r[name] = await attempt(f));
  await step("lease put+revoke", async () => {
    const lease = c.lease(60, { autoKeepAlive: false });
    await lease.put("leased").value("l");
    const before = await c.get("leased").string();
    await lease.revoke();
    return { before, after: await c.get("leased").string() };
  });
  return r;
}

/** Watches: a prefix watcher sees a put and a delete, then is cancelled. */
async function watches(c: Etcd3): Promise<Record<string, unknown>> {
  const r: Record<string, unknown> = {};
  const step = async (name: string, f: () => Promise<unknown>) => void (r[name] = await attempt(f));
  await step("watch prefix", async () => {
    const w = await c.watch().prefix("w/").create();
    const seen = new Promise<unknown[]>((resolve) => {
      const got: unknown[] = [];
      w.on("put", (kv) => got.push(["put", kv.key.toString(), kv.value.toString()]) === 2 && resolve(got));
      w.on("delete", (kv) => got.push(["del", kv.key.toString()]) === 2 && resolve(got));
    });
    await c.put("w/1").value("one");
    await c.delete().key("w/1");
    const events = await seen;
    await w.cancel();
    return events;
  });
  return r;
}

async function withClient(m: Member, f: (c: Etcd3) => Promise<Record<string, unknown>>) {
  const c = new Etcd3({ hosts: m.endpoint });
  try {
    return await f(c);
  } finally {
    c.close();
  }
}

describe(`etcd3 npm client: etcd vs ${pair.name}`, () => {
  test("the same scenario gives the same results", async () => {
    const { ref, sut } = pair.both();
    const [want, got] = await Promise.all([withClient(ref, scenario), withClient(sut, scenario)]);
    // the reference itself behaved as etcd does (guards against a vacuous comparison)
    expect(want["get a"]).toBe("11");
    expect(want["prefix strings"]).toEqual({ "p/1": "v-p/1", "p/2": "v-p/2", "p/3": "v-p/3" });
    expect((want["txn value == (then)"] as { succeeded: boolean }).succeeded).toBe(true);
    expect(JSON.stringify(want["empty key put"])).toContain("key is not provided");
    if (process.env.E2E_VERBOSE) console.log(want);
    expect(got).toEqual(want);
  }, SLOW);

  test("a watch gives the same results", async () => {
    const { ref, sut } = pair.both();
    const [want, got] = await Promise.all([withClient(ref, watches), withClient(sut, watches)]);
    expect(want["watch prefix"]).toEqual([["put", "w/1", "one"], ["del", "w/1"]]);
    expect(got).toEqual(want);
  }, SLOW);

  test("leases give the same results", async () => {
    const { ref, sut } = pair.both();
    const [want, got] = await Promise.all([withClient(ref, leases), withClient(sut, leases)]);
    expect(got).toEqual(want);
  }, SLOW);
});
