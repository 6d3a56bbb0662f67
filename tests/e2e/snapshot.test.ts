// Snapshots move data between bunetcd and etcd: `etcdctl snapshot save` against bunetcd gives a file that
// `etcdctl snapshot status` accepts (its sha256 trailer checks out) and that `etcdctl snapshot restore` turns
// into a data directory the real etcd serves with the same keys and revisions; the same status as a snapshot
// taken from etcd after the same writes.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEtcdctl, startEtcd, type Member } from "../support/etcd.ts";
import { refAndTarget } from "../support/pair.ts";

const pair = refAndTarget("bunetcd-snapshot-");
const dir = mkdtempSync(join(tmpdir(), "bunetcd-snapfiles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeAndSave(m: Member, file: string) {
  for (let i = 0; i < 50; i++) expect((await m.etcdctl(["put", `s/${i}`, `v${i}`])).code).toBe(0);
  await m.etcdctl(["del", "s/7"]);
  const save = await m.etcdctl(["snapshot", "save", file]);
  expect(save.code).toBe(0);
  expect(save.stdout).toContain(`Snapshot saved at ${file}`);
  const status = await runEtcdctl(m.endpoint, ["snapshot", "status", file, "-w", "json"]);
  expect(status.code).toBe(0);
  return JSON.parse(status.stdout) as { hash: number; revision: number; totalKey: number };
}

test("etcdctl snapshot save from bunetcd: status like etcd's, and a real etcd serves the restored data", async () => {
  const { ref, sut } = pair.both();
  const ours = join(dir, "ours.db");
  const [a, b] = [await writeAndSave(ref, join(dir, "theirs.db")), await writeAndSave(sut, ours)];
  expect(b.revision).toBe(a.revision);
  expect(b.totalKey).toBe(a.totalKey);
  const restored = join(dir, "restored");
  const r = Bun.spawn(["etcdctl", "snapshot", "restore", ours, "--data-dir", restored], { stdout: "pipe", stderr: "pipe", env: { ...process.env, ETCDCTL_API: "3" } });
  expect(await r.exited).toBe(0);
  const etcd = await startEtcd(restored);
  try {
    const got = await etcd.etcdctl(["get", "s/", "--prefix", "-w", "json"]);
    const body = JSON.parse(got.stdout);
    expect(body.count).toBe(49);
    expect(body.header.revision).toBe(b.revision);
  } finally {
    await etcd.stop();
  }
}, 120_000);
