// Crash consistency: a child process commits transactions in a loop and is SIGKILLed at random moments, 30 times
// per commit mode (durable when commit returns; fdatasyncs deferred to the thread pool) on the same file. After
// each kill the file opens, `check` passes, and every transaction the child reported committed (printed after
// commit returned; for deferred commits, all but the last) is there, with nothing half-applied.
// A SIGKILL keeps the page cache, so this checks the write order's logic, not power-loss durability.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "../../../engine/backend/check.ts";
import { DB } from "../../../engine/backend/db.ts";
import { Rng, testSeed } from "../../support/random.ts";
import { crashValue } from "./crash-value.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

for (const mode of ["sync", "defer"] as const) test(`SIGKILL at random moments never loses a committed transaction nor corrupts the file (30 kills, ${mode} commits)`, async () => {
  const seed = testSeed();
  console.log(`crash seed=${seed}`);
  const rng = new Rng(seed);
  const file = join(dir, `crash-${mode}.db`);
  const child = join(import.meta.dir, "crash-child.ts");
  let kills = 0;
  let totalCommitted = 0;
  for (let round = 0; round < 30; round++) {
    const proc = Bun.spawn([process.execPath, child, file, mode], { stdout: "pipe", stderr: "pipe" });
    const reader = proc.stdout.getReader();
    let out = "";
    // Wait until the child has committed at least one transaction, then a random extra delay.
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += dec(value);
    }
    await Bun.sleep(rng.int(120));
    proc.kill("SIGKILL");
    const rest = await new Response(
      new ReadableStream({
        async pull(c) {
          const { value, done } = await reader.read();
          if (done) c.close();
          else c.enqueue(value);
        },
      }),
    ).text();
    out += rest;
    expect(await proc.exited).not.toBe(0);
    expect(proc.signalCode).toBe("SIGKILL");
    kills++;
    const reported = out.split("\n").filter(Boolean).map(Number);
    const lastReported = reported[reported.length - 1];
    totalCommitted += reported.length;

    const db = DB.open(file);
    try {
      expect(db.view((tx) => check(tx))).toEqual([]);
      db.view((tx) => {
        const last = Number(dec(tx.bucket(enc("meta"))!.get(enc("last"))!));
        // The kill may land after a commit became durable but before it was printed: last may be one ahead.
        // A deferred commit is durable once the next one has started writing: last may be one behind.
        expect(last).toBeGreaterThanOrEqual(mode === "defer" ? lastReported - 1 : lastReported);
        expect(last).toBeLessThanOrEqual(lastReported + 1);
        const data = tx.bucket(enc("data"))!;
        let count = 0;
        data.forEach((k, v) => {
          const n = Number(dec(k).slice(2));
          expect(n).toBeGreaterThan(last - 50);
          expect(n).toBeLessThanOrEqual(last);
          expect(v).toEqual(crashValue(n));
          count++;
        });
        expect(count).toBe(Math.min(50, last));
      });
    } finally {
      db.close();
    }
  }
  console.log(`crash: ${kills} kills, ${totalCommitted} transactions reported committed`);
}, 120_000);
