// Seeded, reproducible pseudo-random numbers for randomized tests (mulberry32), shared by every test
// suite (the Raft engine keeps its own in-engine PRNG, engine/raft/rand.ts). A failing test prints its
// seed; set SEED=<n> to replay it. Invariant: the same seed yields the same sequence on every run.
export class Rng {
  private s: number;
  constructor(readonly seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** The seed to use: SEED from the environment, else a fresh one. */
export function testSeed(): number {
  const env = process.env.SEED;
  return env ? Number(env) : Math.floor(Math.random() * 2 ** 31);
}

/** Runs body with a seeded Rng; on failure, logs and prefixes the error with the seed to replay. */
export function withSeed<T>(name: string, body: (rng: Rng) => T, seed = testSeed()): T {
  const fail = (e: unknown): never => {
    const msg = `${name} failed with seed ${seed} (replay with SEED=${seed})`;
    console.error(msg);
    if (e instanceof Error) e.message = `${msg}\n${e.message}`;
    throw e;
  };
  try {
    const out = body(new Rng(seed));
    return out instanceof Promise ? (out.catch(fail) as T) : out;
  } catch (e) {
    return fail(e);
  }
}
