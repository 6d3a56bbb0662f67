// Shared helpers for the WAL tests: temp directories that are removed afterwards, a seeded RNG
// (seed printed on failure by the caller), and deterministic entries.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Entry, WalMetadata } from "../../../engine/wal/index.ts";

export const META: WalMetadata = { memberId: 0x8e9e05c52164694dn, clusterId: 0xcdf818194e3a8c32n };

/** Creates a temp dir; returns its path and a cleanup function. */
export function tempDir(prefix = "bunetcd-wal-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
