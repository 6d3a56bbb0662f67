// Crash safety: a child process appends in a loop and is SIGKILLed at a random moment, 60 times.
// After every kill the WAL must open, and hold every entry whose save had returned (the child
// printed its index), in order, with nothing duplicated and every payload intact.
import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { Wal } from "../../../engine/wal/index.ts";
import { SEGMENT_BYTES, sizeFor } from "./fixtures/crash-appender.ts";
import { entryData, rng, seedFromEnv, tempDir } from "./helpers.ts";

const FIXTURE = join(import.meta.dir, "fixtures", "crash-appender.ts");
const KILLS = 60;
let child: ReturnType<typeof Bun.spawn> | null = null;
const tmp = tempDir();

afterEach(() => {
  child?.kill("SIGKILL");
  tmp.cleanup();
});

/** Runs the appender until it has acknowledged something, then kills it after `delayMs`. */
async function runAndKill(dir: string, seed: number, delayMs: number): Promise<number> {
  const proc = Bun.spawn([process.execPath, FIXTURE, dir, String(seed)], { stdout: "pipe", stderr: "pipe" });
  child = proc;
  let acked = 0;
  let resolveFirst!: () => void;
  const firstAck = new Promise<void>((r) => (resolveFirst = r));
  const reading = (async () => {
    const decoder = new TextDecoder();
    let text = "";
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      const lines = text.split("\n");
      text = lines.pop()!;
      for (const l of lines) acked = Math.max(acked, Number(l));
      if (acked > 0) resolveFirst();
    }
  })();
  await Promise.race([firstAck, proc.exited]);
  await Bun.sleep(delayMs);
  proc.kill("SIGKILL");
  const code = await proc.exited;
  await reading;
  child = null;
  if (code !== 137 && proc.signalCode !== "SIGKILL") {
    throw new Error(`appender exited on its own (${code}): ${await new Response(proc.stderr as ReadableStream).text()}`);
  }
  return acked;
}

test(`every acknowledged entry survives ${KILLS} SIGKILLs, in order, once`, async () => {
  const seed = seedFromEnv();
  const rand = rng(seed);
  const dir = join(tmp.path, "wal");
  let everAcked = 0;
  let repairs = 0;
  for (let round = 0; round < KILLS; round++) {
    const acked = await runAndKill(dir, seed + round, Math.floor(rand() * 40));
    everAcked = Math.max(everAcked, acked);
    const wal = await Wal.open(dir, { index: 0, term: 0 }, { segmentBytes: SEGMENT_BYTES });
    try {
      if (wal.repairedTail) repairs++;
      const { entries } = wal.readAll();
      const where = `seed ${seed}, round ${round}`;
      if (entries.length < everAcked) throw new Error(`${where}: ${entries.length} entries, ${everAcked} acknowledged`);
      entries.forEach((e, i) => {
        if (e.index !== i + 1) throw new Error(`${where}: entry ${i} has index ${e.index}`);
        if (Buffer.compare(e.data, entryData(1, e.index, sizeFor(e.index))) !== 0) throw new Error(`${where}: entry ${e.index} differs`);
      });
    } finally {
      await wal.close();
    }
  }
  expect(everAcked).toBeGreaterThan(KILLS);
  console.log(`crash test: ${KILLS} kills, ${everAcked} entries acknowledged, ${repairs} torn tails repaired (seed ${seed})`);
}, 120_000);
