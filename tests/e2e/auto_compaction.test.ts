// --auto-compaction-mode periodic --auto-compaction-retention 1s on a real etcd and on the target side by
// side (etcd accepts sub-hour durations: 1s samples the revision every 100ms and compacts every second to
// the revision of about a second before). After a few writes an old revision becomes compacted on both, and
// etcdctl's answers for it match; the target logs etcd's compactor lines. Revision mode compacts every 5
// minutes, too slow for here: tests/engine/server/compactor covers it on a fake clock. A retention etcd cannot
// parse stops both at start-up, exit 1, with etcd's message.
import { expect, test } from "bun:test";
import type { Member } from "../support/etcd.ts";
import { compareSteps, steps } from "../support/etcdctl_compare.ts";
import { refAndTarget } from "../support/pair.ts";
import { bunetcdCommand } from "../support/bunetcd.ts";
import { tempDirs } from "../support/tmp.ts";

const pair = refAndTarget("e2e-autocompact-", ["--auto-compaction-mode", "periodic", "--auto-compaction-retention", "1s"]);

/** Waits until revision 2 of `key` is compacted away (etcdctl says so), up to `ms`. */
async function waitCompacted(m: Member, key: string, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    const r = await m.etcdctl(["get", key, "--rev", "2"]);
    if (r.code !== 0 && r.stderr.includes("required revision has been compacted")) return true;
    await Bun.sleep(200);
  }
  return false;
}

test(`periodic 1s auto-compaction: etcd vs ${pair.name}`, async () => {
  const { ref, sut } = pair.both();
  for (const m of [ref, sut]) {
    for (let i = 1; i <= 5; i++) expect((await m.etcdctl(["put", "k", `v${i}`])).code).toBe(0);
    // Nothing compacts the old revisions but the compactor.
    expect((await m.etcdctl(["get", "k", "--rev", "2", "--print-value-only"])).stdout).toBe("v1\n");
  }
  const [refDone, sutDone] = await Promise.all([waitCompacted(ref, "k", 10_000), waitCompacted(sut, "k", 10_000)]);
  expect([refDone, sutDone]).toEqual([true, true]);
  expect(await compareSteps(ref.endpoint, sut.endpoint, steps(["get k --rev 2", "get k --rev 6 -w json", "get k"]))).toEqual([]);
  const log = sut.logTail();
  expect(log).toMatch(/N \| compactor: Starting auto-compaction at revision \d+ \(retention: 1s\)/);
  expect(log).toMatch(/N \| compactor: Finished auto-compaction at revision \d+/);
}, 60_000);

test("an unparsable retention stops etcd and bunetcd alike", async () => {
  const dirs = tempDirs("e2e-autocompact-bad-");
  try {
    const run = async (command: string[]) => {
      const p = Bun.spawn([...command, "--data-dir", dirs.make(), "--auto-compaction-retention", "foo"], { stdout: "ignore", stderr: "pipe" });
      const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
      return { code, line: /error parsing CompactionRetention: .*/.exec(err)?.[0] };
    };
    const [ref, sut] = await Promise.all([run(["etcd"]), run(await bunetcdCommand())]);
    expect(ref).toEqual({ code: 1, line: 'error parsing CompactionRetention: time: invalid duration "foo"' });
    expect(sut).toEqual(ref);
  } finally {
    dirs.cleanup();
  }
}, 60_000);
