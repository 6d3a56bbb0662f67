// Shared helpers for the WAL tests: temp directories that are removed afterwards, a seeded RNG
// (seed printed on failure by the caller), and deterministic entries.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Entry, WalMetadata } from "../../../engine/wal/index.ts";
import { Rng } from "../../support/random.ts";

export const META: WalMetadata = { memberId: 0x8e9e05c52164694dn, clusterId: 0xcdf818194e3a8c32n };

/** Creates a temp dir; returns its path and a cleanup function. */
export function tempDir(prefix = "bunetcd-wal-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A seeded generator of floats in [0, 1) (the shared test Rng). */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

export function seedFromEnv(): number {
  const env = process.env.WAL_TEST_SEED;
  return env ? Number(env) : (Date.now() ^ (process.pid << 8)) >>> 0;
}

/** Deterministic payload for (term, index), so a reader can verify any entry it gets back. */
export function entryData(term: number, index: number, size = 24): Uint8Array {
  const out = new Uint8Array(size);
  let x = (index * 2654435761 + term * 40503) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function makeEntries(term: number, first: number, count: number, size = 24): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) out.push({ term, index: first + i, type: 0, data: entryData(term, first + i, size) });
  return out;
}
