// Lease expiry across a restart (etcd's lessor.Promote refreshes every lease's expiry when the member becomes
// leader): a 4 s lease with three keys attached, the server stopped (SIGTERM, or SIGKILL) for longer than the
// TTL and restarted; the lease is still alive right after the restart with about its full TTL, expires about
// one TTL after it, and its keys go in a single revision. Run on bunetcd and, as the reference for the same
// script, on a real etcd alongside.
import { afterAll, expect, test } from "bun:test";
import { type Member, startEtcd } from "../support/etcd.ts";
import { startBunetcd } from "../support/bunetcd.ts";
import { tempDirs } from "../support/tmp.ts";

const TTL = 4;
const DOWN_MS = 5_000;
const dirs = tempDirs("bunetcd-leaserestart-");
afterAll(() => dirs.cleanup());

type Start = (dir: string) => Promise<Member>;

async function ctlJson(m: Member, args: string[]) {
  const r = await m.etcdctl([...args, "-w", "json"]);
  if (r.code !== 0) throw new Error(`etcdctl ${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

interface Outcome {
  ttlAfterRestart: number;
  keysAfterRestart: number;
  expiredAfterMs: number;
  revisionsUsed: number;
  keysAtExpiry: number;
  keysBeforeExpiry: number;
}

async function scenario(start: Start, stop: (m: Member) => Promise<void>, label: string): Promise<Outcome> {
  const dir = dirs.make(label);
  let m = await start(dir);
  let lease = "";
  let rev = 0;
  try {
    lease = (await m.etcdctl(["lease", "grant", String(TTL)])).stdout.split(" ")[1];
    for (const k of ["a", "b", "c"]) expect((await m.etcdctl(["put", `l/${k}`, k, "--lease", lease])).code).toBe(0);
    await m.etcdctl(["put", "other", "stays"]);
    rev = (await ctlJson(m, ["get", "other"])).header.revision;
  } finally {
    await stop(m);
  }
  await Bun.sleep(DOWN_MS);
  m = await start(dir);
  const restarted = performance.now();
  try {
    const ttl = await ctlJson(m, ["lease", "timetolive", lease]);
    const keysAfterRestart = (await ctlJson(m, ["get", "l/", "--prefix"])).count ?? 0;
    let expiredAfterMs = -1;
    while (performance.now() - restarted < (TTL + 6) * 1000) {
      if (((await ctlJson(m, ["get", "l/", "--prefix"])).count ?? 0) === 0) {
        expiredAfterMs = performance.now() - restarted;
        break;
      }
      await Bun.sleep(100);
    }
    const now = (await ctlJson(m, ["get", "other"])).header.revision;
    const at = async (r: number) => (await ctlJson(m, ["get", "l/", "--prefix", "--rev", String(r)])).count ?? 0;
    return { ttlAfterRestart: ttl.ttl, keysAfterRestart, expiredAfterMs, revisionsUsed: now - rev, keysAtExpiry: await at(rev + 1), keysBeforeExpiry: await at(rev) };
  } finally {
    await m.stop();
  }
}

function expectRefreshedThenExpired(o: Outcome) {
  expect(o.keysAfterRestart).toBe(3);
  // refreshed at promotion: close to the full TTL, although the server was down longer than the TTL
  expect(o.ttlAfterRestart).toBeGreaterThanOrEqual(TTL - 2);
  expect(o.expiredAfterMs).toBeGreaterThan((TTL - 2) * 1000);
  expect(o.expiredAfterMs).toBeLessThan((TTL + 4) * 1000);
  // one revoke, one revision, all three keys
  expect({ revisionsUsed: o.revisionsUsed, before: o.keysBeforeExpiry, after: o.keysAtExpiry }).toEqual({ revisionsUsed: 1, before: 3, after: 0 });
}

const bunetcd: Start = (d) => startBunetcd(d);
const etcd: Start = (d) => startEtcd(d);

test("SIGTERM: the lease outlives the downtime and expires one TTL after the restart, its keys in one revision", async () => {
  const [sut, ref] = await Promise.all([scenario(bunetcd, (m) => m.stop(), "term-sut"), scenario(etcd, (m) => m.stop(), "term-ref")]);
  expectRefreshedThenExpired(ref);
  expectRefreshedThenExpired(sut);
}, 60_000);

test("SIGKILL: the same after a crash", async () => {
  const [sut, ref] = await Promise.all([scenario(bunetcd, (m) => m.kill(), "kill-sut"), scenario(etcd, (m) => m.kill(), "kill-ref")]);
  expectRefreshedThenExpired(ref);
  expectRefreshedThenExpired(sut);
}, 60_000);
