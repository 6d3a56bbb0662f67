// Mutex: clientv3's key layout, FIFO hand-over by create revision, re-entry by the same session, and
// cancellation while waiting (the waiter's key is removed).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ContextCanceled } from "../../../../cli/ctl/concurrency/cancel.ts";
import { Mutex } from "../../../../cli/ctl/concurrency/mutex.ts";
import { Session } from "../../../../cli/ctl/concurrency/session.ts";
import { etcdFixture, type Fixture } from "./fixture.ts";

let fx: Fixture;
beforeAll(async () => {
  fx = await etcdFixture("mutex");
});
afterAll(() => fx?.stop());

const keys = async (p: string) => (await fx.etcd.etcdctl(["get", "--prefix", "--keys-only", p])).stdout.split("\n").filter(Boolean);
const never = () => new AbortController().signal;

test("lock key is <name>/<lease hex>; waiters acquire in creation order", async () => {
  const [s1, s2, s3] = await Promise.all([1, 2, 3].map(() => Session.open(fx.client(), 10)));
  const m1 = new Mutex(s1!, "mx");
  await m1.lock(never());
  expect(m1.key()).toBe(`mx/${s1!.lease.toString(16)}`);
  const order: string[] = [];
  const m2 = new Mutex(s2!, "mx");
  const m3 = new Mutex(s3!, "mx");
  const p2 = m2.lock(never()).then(() => order.push("m2"));
  await Bun.sleep(200);
  const p3 = m3.lock(never()).then(() => order.push("m3"));
  await Bun.sleep(300);
  expect(order).toEqual([]);
  expect(await keys("mx/")).toHaveLength(3);
  await m1.unlock();
  await p2;
  await Bun.sleep(200);
  expect(order).toEqual(["m2"]);
  expect(m2.header()!.revision).toBeGreaterThan(0n);
  await m2.unlock();
  await p3;
  expect(order).toEqual(["m2", "m3"]);
  await m3.unlock();
  expect(await keys("mx/")).toEqual([]);
  for (const s of [s1!, s2!, s3!]) await s.close();
}, 15_000);

test("the same session locking again keeps its key (re-entry)", async () => {
  const s = await Session.open(fx.client(), 10);
  const a = new Mutex(s, "re");
  await a.lock(never());
  const b = new Mutex(s, "re");
  await b.lock(never());
  expect(b.key()).toBe(a.key());
  await b.unlock();
  await s.close();
});

test("aborting a waiting lock fails with context canceled and removes the waiter's key", async () => {
  const [s1, s2] = await Promise.all([Session.open(fx.client(), 10), Session.open(fx.client(), 10)]);
  const m1 = new Mutex(s1, "ab");
  await m1.lock(never());
  const abort = new AbortController();
  const waiting = new Mutex(s2, "ab").lock(abort.signal);
  await Bun.sleep(300);
  abort.abort();
  await expect(waiting).rejects.toBeInstanceOf(ContextCanceled);
  await waiting.catch(() => undefined);
  expect(await keys("ab/")).toEqual([m1.key()]);
  await m1.unlock();
  await s1.close();
  await s2.close();
}, 10_000);

test("a holder's expired session releases the lock to the waiter", async () => {
  const [s1, s2] = await Promise.all([Session.open(fx.client(), 1), Session.open(fx.client(), 10)]);
  await new Mutex(s1, "exp").lock(never());
  const m2 = new Mutex(s2, "exp");
  const p = m2.lock(never());
  s1.orphan();
  await p;
  expect(await keys("exp/")).toEqual([m2.key()]);
  await m2.unlock();
  await s2.close();
}, 10_000);
