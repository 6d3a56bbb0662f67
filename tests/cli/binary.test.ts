// The compiled single executable: `bun build.ts` makes dist/bunetcd, which runs with nothing else installed:
// `--version`, and the offline backend commands on a sound and on a damaged file (exit codes and output).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DB } from "../../engine/backend/db.ts";
import pkg from "../../package.json" with { type: "json" };

const root = join(import.meta.dir, "../..");
const bin = join(root, "dist/bunetcd");
const dir = mkdtempSync(join(tmpdir(), "bunetcd-bin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  const p = Bun.spawn([process.execPath, "build.ts"], { cwd: root, stdout: "pipe", stderr: "pipe" });
  const code = await p.exited;
  if (code !== 0) throw new Error(`build failed: ${await new Response(p.stderr).text()}`);
}, 120_000);

async function run(args: string[]) {
  // An empty environment and PATH: the binary needs nothing installed.
  const p = Bun.spawn([bin, ...args], { stdout: "pipe", stderr: "pipe", env: {} });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, code };
}

test("dist/bunetcd --version prints the package version", async () => {
  const r = await run(["--version"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`bunetcd Version: ${pkg.version}`);
});

test("dist/bunetcd backend check|stats|compact on a sound file, and check on a damaged one", async () => {
  const file = join(dir, "a.db");
  const db = DB.open(file);
  db.update((tx) => {
    const b = tx.createBucket(enc("key"));
    for (let i = 0; i < 3000; i++) b.put(enc(`k${String(i).padStart(5, "0")}`), new Uint8Array(100));
  });
  db.close();
  const ok = await run(["backend", "check", file]);
  expect(ok).toEqual({ stdout: "OK\n", stderr: "", code: 0 });
  const st = await run(["backend", "stats", file]);
  expect(st.code).toBe(0);
  expect(st.stdout).toMatch(/^key\t3000\t[0-9]+\t/m);
  const out = join(dir, "b.db");
  const cp = await run(["backend", "compact", file, out]);
  expect(cp.code).toBe(0);
  expect(cp.stdout).toContain("1 buckets, 3000 keys");
  expect((await run(["backend", "check", out])).code).toBe(0);
  // Break the first leaf's page header: check must list the problem and exit 1.
  const fd = openSync(file, "r+");
  writeSync(fd, new Uint8Array(16).fill(0xee), 0, 16, 4 * 4096);
  closeSync(fd);
  const bad = await run(["backend", "check", file]);
  expect(bad.code).toBe(1);
  expect(bad.stdout.length).toBeGreaterThan(0);
  expect(bad.stderr).toContain("problem(s) found");
  const usage = await run(["backend", "nope"]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain("usage:");
}, 60_000);
