// .snap files: our encoding round-trips, and etcd's own file (written by `etcdctl snapshot restore`) reads.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DB } from "../../../engine/backend/db.ts";
import { decodeSnap, encodeSnap, loadNewestSnap, purgeSnaps, saveSnap } from "../../../engine/server/snap_file.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-snap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("encode/decode round-trip; the newest file wins; corrupt files are skipped and reported; purge keeps N", () => {
  const s = { index: 100, term: 3, confState: { voters: [0x8e9e05c52164694dn], learners: [7n] }, data: new Uint8Array(0) };
  expect(decodeSnap(encodeSnap(s))).toEqual(s);
  const d = join(dir, "snaps");
  rmSync(d, { recursive: true, force: true });
  require("node:fs").mkdirSync(d);
  saveSnap(d, s);
  saveSnap(d, { ...s, index: 200 });
  writeFileSync(join(d, "0000000000000009-0000000000000001.snap"), "garbage");
  const bad: string[] = [];
  expect(loadNewestSnap(d, (f) => bad.push(f))!.index).toBe(200);
  expect(bad.length).toBe(1);
  purgeSnaps(d, 1);
  expect(readdirSync(d)).toEqual(["0000000000000009-0000000000000001.snap"]);
});

test.skipIf(!existsSync("/usr/bin/etcdctl"))("reads the .snap file etcdctl snapshot restore writes", async () => {
  const db = join(dir, "src.db");
  DB.open(db).close();
  const out = join(dir, "restored");
  const p = Bun.spawn(["etcdctl", "snapshot", "restore", db, "--skip-hash-check", "--data-dir", out], { stdout: "ignore", stderr: "ignore", env: { ...process.env, ETCDCTL_API: "3" } });
  expect(await p.exited).toBe(0);
  const snap = loadNewestSnap(join(out, "member", "snap"))!;
  expect(snap.index).toBe(1);
  expect(snap.term).toBe(1);
  expect(snap.confState.voters).toEqual([0x8e9e05c52164694dn]);
  expect(new TextDecoder().decode(snap.data)).toContain("8e9e05c52164694d");
}, 30_000);
