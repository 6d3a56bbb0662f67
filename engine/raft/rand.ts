// Seeded pseudo-random numbers (mulberry32): the module's only source of randomness, so every run is
// reproducible from its seed. Used for randomized election timeouts and by the test simulator.

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

/** Folds a 64-bit id into a 32-bit seed. */
export function seedFromId(id: bigint): number {
  return Number(BigInt.asUintN(32, id) ^ BigInt.asUintN(32, id >> 32n)) >>> 0;
}
