// The NOSPACE alarm, side by side with the real etcd: with a tiny --quota-backend-bytes, puts eventually fail
// with "etcdserver: mvcc: database space exceeded", the alarm is listed, reads and deletes still work, and
// the operator's way out (compact, defrag, alarm disarm) makes puts work again — same outputs as etcd.
import { expect, test } from "bun:test";
import type { Member } from "../support/etcd.ts";
import { refAndTarget } from "../support/pair.ts";

const QUOTA = 256 * 1024;
const pair = refAndTarget("bunetcd-nospace-", ["--quota-backend-bytes", String(QUOTA)]);
const value = "v".repeat(16 * 1024);

/** Puts distinct keys until one fails; returns how many succeeded and the failure. */
async function fill(m: Member): Promise<{ ok: number; stderr: string; code: number }> {
  for (let i = 0; i < 200; i++) {
    const r = await m.etcdctl(["put", `k${i}`], value);
    if (r.code !== 0) return { ok: i, stderr: r.stderr.trim().split("\n").pop()!, code: r.code };
  }
  throw new Error("the quota never triggered");
}

test("NOSPACE: the same error and alarm as etcd, reads and deletes still served, then compact+defrag+disarm", async () => {
  const { ref, sut } = pair.both();
  const [a, b] = await Promise.all([fill(ref), fill(sut)]);
  expect(b.stderr).toBe(a.stderr);
  expect(b.stderr).toBe("Error: etcdserver: mvcc: database space exceeded");
  expect(b.code).toBe(a.code);
  for (const m of [ref, sut]) {
    const alarms = await m.etcdctl(["alarm", "list"]);
    expect(alarms.stdout).toMatch(/^memberID:\d+ alarm:NOSPACE\s*$/);
    // Reads and deletes are accepted under NOSPACE; puts are not, even small ones.
    expect((await m.etcdctl(["get", "k0", "--print-value-only"])).stdout.length).toBeGreaterThan(1000);
    expect((await m.etcdctl(["put", "small", "x"])).stderr).toContain("database space exceeded");
    expect((await m.etcdctl(["del", "k", "--prefix"])).code).toBe(0);
    const rev = JSON.parse((await m.etcdctl(["get", "k0", "-w", "json"])).stdout).header.revision;
    expect((await m.etcdctl(["compaction", String(rev)])).code).toBe(0);
    const defrag = await m.etcdctl(["defrag"]);
    expect(defrag.code).toBe(0);
    expect(defrag.stdout).toContain("Finished defragmenting etcd member");
    expect((await m.etcdctl(["alarm", "disarm"])).code).toBe(0);
    expect((await m.etcdctl(["alarm", "list"])).stdout).toBe("");
    expect((await m.etcdctl(["put", "after", "ok"])).stdout.trim()).toBe("OK");
  }
}, 120_000);
