// Seeded PRNG for reproducible randomized tests (mulberry32). The seed comes from MVCC_SEED when set,
// otherwise it is drawn fresh; tests print it on failure so a run can be replayed with MVCC_SEED=<seed>.

export interface Rng {
  readonly seed: number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function seededRandom(seed: number): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, int: (n) => Math.floor(next() * n) };
}

/** The seed for this run: MVCC_SEED if set, else random. */
export function testSeed(): number {
  const env = process.env.MVCC_SEED;
  return env !== undefined ? Number(env) : Math.floor(Math.random() * 2 ** 32);
}

/** Runs body with a seeded Rng; on failure, rethrows with the seed in the message. */
export function withSeed(name: string, body: (rng: Rng) => void, seed = testSeed()): void {
  try {
    body(seededRandom(seed));
  } catch (e) {
    const msg = `${name} failed with seed ${seed} (replay: MVCC_SEED=${seed} bun test mvcc)`;
    console.error(msg);
    if (e instanceof Error) e.message = `${msg}\n${e.message}`;
    throw e;
  }
}
