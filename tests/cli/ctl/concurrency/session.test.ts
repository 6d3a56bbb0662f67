// Session: the lease is granted with the TTL, kept alive past it, and `done` follows the lease's end.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Session } from "../../../../cli/ctl/concurrency/session.ts";
import { etcdFixture, type Fixture } from "./fixture.ts";

let fx: Fixture;
beforeAll(async () => {
  fx = await etcdFixture("session");
});
afterAll(() => fx?.stop());

const ttlOf = async (id: bigint) => Number((await fx.client().rpc((s, o) => s.lease.leaseTimeToLive({ ID: id }, o))).TTL);

test("the lease outlives its TTL while the session runs; close() revokes it", async () => {
  const s = await Session.open(fx.client(), 2);
  expect(s.ttl).toBe(2);
  await Bun.sleep(3500);
  expect(await ttlOf(s.lease)).toBeGreaterThan(0);
  await s.close();
  expect(await ttlOf(s.lease)).toBe(-1);
  await s.done;
}, 15_000);

test("a lease revoked elsewhere ends the session (done resolves)", async () => {
  const s = await Session.open(fx.client(), 2);
  await fx.etcd.etcdctl(["lease", "revoke", s.lease.toString(16)]);
  const ended = await Promise.race([s.done.then(() => true), Bun.sleep(3000).then(() => false)]);
  expect(ended).toBe(true);
}, 10_000);

test("orphan() stops the renewals: the lease expires after its TTL", async () => {
  const s = await Session.open(fx.client(), 1);
  s.orphan();
  await s.done;
  await Bun.sleep(2500);
  expect(await ttlOf(s.lease)).toBe(-1);
}, 10_000);

test("a TTL <= 0 means the default 60 s", async () => {
  const s = await Session.open(fx.client(), 0);
  expect(s.ttl).toBe(60);
  expect(await ttlOf(s.lease)).toBeGreaterThan(50);
  await s.close();
});
