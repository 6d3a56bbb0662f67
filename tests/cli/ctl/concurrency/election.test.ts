// Election: campaign order, proclaim, resign, and observe (the current leader, value changes, hand-over).
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { RangeResponse } from "../../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { Election } from "../../../../cli/ctl/concurrency/election.ts";
import { Session } from "../../../../cli/ctl/concurrency/session.ts";
import { etcdFixture, type Fixture } from "./fixture.ts";

let fx: Fixture;
beforeAll(async () => {
  fx = await etcdFixture("election");
});
afterAll(() => fx?.stop());

const never = () => new AbortController().signal;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

test("observe follows campaign, proclaim and resign; the second campaigner waits for the first", async () => {
  const [s0, s1, s2] = await Promise.all([0, 1, 2].map(() => Session.open(fx.client(), 10)));
  const seen: string[] = [];
  const stop = new AbortController();
  const observer = (async () => {
    for await (const r of new Election(s0!, "ev").observe(stop.signal)) {
      const kv = (r as RangeResponse).kvs[0]!;
      seen.push(`${text(kv.key)}=${text(kv.value)}`);
    }
  })();
  const e1 = new Election(s1!, "ev");
  await e1.campaign("a", never());
  expect(e1.key()).toBe(`ev/${s1!.lease.toString(16)}`);
  const e2 = new Election(s2!, "ev");
  let e2Won = false;
  const p2 = e2.campaign("b", never()).then(() => (e2Won = true));
  await Bun.sleep(300);
  expect(e2Won).toBe(false);
  await e1.proclaim("a2");
  await Bun.sleep(200);
  await e1.resign();
  await p2;
  await Bun.sleep(300);
  stop.abort();
  await observer;
  expect(seen).toEqual([`${e1Key(s1!)}=a`, `${e1Key(s1!)}=a2`, `${e1Key(s2!)}=b`]);
  await e2.resign();
  for (const s of [s0!, s1!, s2!]) await s.close();
}, 15_000);

const e1Key = (s: Session) => `ev/${s.lease.toString(16)}`;

test("proclaim after losing leadership fails with election: not leader", async () => {
  const s = await Session.open(fx.client(), 10);
  const e = new Election(s, "nl");
  await e.campaign("v", never());
  await fx.etcd.etcdctl(["del", e.key()]);
  const err = await e.proclaim("w").then(() => undefined, (x: Error) => x.message);
  expect(err).toBe("election: not leader");
  await s.close();
});
