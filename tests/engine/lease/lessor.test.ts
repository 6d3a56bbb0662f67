// The lessor: grants with etcd's minimum and maximum TTL rules and errors, key attachment, deadlines only on
// the primary (with promote's extension), expiry, and persistence in etcd's `lease` bucket across a reopen.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LeaseExistsError, LeaseNotFoundError, LeaseTTLTooLargeError, Lessor, MAX_LEASE_TTL } from "../../../engine/lease/lessor.ts";
import { MvccStore } from "../../../engine/mvcc/store.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-lessor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);

function open(path: string, clock: { now: number }) {
  let store: MvccStore | undefined;
  const lessor = new Lessor(() => store!.backend, 2, () => clock.now);
  store = MvccStore.open(path, { leases: lessor, noSync: true });
  lessor.load();
  return { store, lessor };
}

test("grant, attach through puts, expire on the primary, and survive a reopen", () => {
  const clock = { now: 1_000_000 };
  const path = join(dir, "a.db");
  let { store, lessor } = open(path, clock);
  expect(lessor.grant(7n, 1)).toBe(2); // below the minimum: raised to it
  expect(lessor.grant(8n, 100)).toBe(100);
  expect(() => lessor.grant(7n, 10)).toThrow(LeaseExistsError);
  expect(() => lessor.grant(9n, MAX_LEASE_TTL + 1)).toThrow(LeaseTTLTooLargeError);
  expect(() => lessor.grant(0n, 10)).toThrow(LeaseNotFoundError);
  store.put({ key: enc("a"), value: enc("1"), lease: 7n }, { index: 1, term: 1 });
  store.put({ key: enc("b"), value: enc("2"), lease: 7n }, { index: 2, term: 1 });
  store.put({ key: enc("c"), value: enc("3"), lease: 8n }, { index: 3, term: 1 });
  store.put({ key: enc("b"), value: enc("2b") }, { index: 4, term: 1 }); // overwritten without lease: detached
  expect(() => store.put({ key: enc("x"), value: enc("1"), lease: 99n }, { index: 5, term: 1 })).toThrow("lease not found");
  expect(lessor.keysOf(7n).map((k) => new TextDecoder().decode(k))).toEqual(["a"]);
  expect(lessor.leaseOf(enc("c"))).toBe(8n);
  // Not primary: no deadline, nothing expires, renew refuses... only the primary renews.
  clock.now += 1_000_000;
  expect(lessor.expired()).toEqual([]);
  lessor.promote(1000);
  expect(lessor.timeToLive(7n)).toMatchObject({ remaining: 3, granted: 2 });
  clock.now += 2_500;
  expect(lessor.renew(8n)).toBe(100);
  clock.now += 600;
  expect(lessor.expired()).toEqual([7n]);
  expect(() => lessor.renew(7n)).toThrow(LeaseNotFoundError);
  store.close();
  ({ store, lessor } = open(path, clock));
  expect(lessor.ids().sort()).toEqual([7n, 8n]);
  expect(lessor.keysOf(8n).map((k) => new TextDecoder().decode(k))).toEqual(["c"]);
  expect(lessor.keysOf(7n).map((k) => new TextDecoder().decode(k))).toEqual(["a"]);
  lessor.remove(7n);
  store.close();
  ({ store, lessor } = open(path, clock));
  expect(lessor.ids()).toEqual([8n]);
  store.close();
});
