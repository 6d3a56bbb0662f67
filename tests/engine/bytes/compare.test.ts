// compareBytes (JS loop for short keys, Buffer.compare for long ones) must order exactly as Buffer.compare
// (unsigned lexicographic, a prefix first), on seeded random pairs that share prefixes of every length.
import { expect, test } from "bun:test";
import { compareBytes } from "../../../engine/bytes/compare.ts";
import { Rng, testSeed } from "../../support/random.ts";

const seed = testSeed();

test(`compareBytes has Buffer.compare's sign on every pair (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let i = 0; i < 20000; i++) {
    const prefix = Uint8Array.from({ length: rng.int(40) }, () => rng.int(256));
    const tail = () => Uint8Array.from({ length: rng.int(4) }, () => (rng.int(4) === 0 ? 255 : rng.int(3)));
    const a = Buffer.concat([prefix, tail()]);
    const b = Buffer.concat([prefix, tail()]);
    expect(Math.sign(compareBytes(a, b))).toBe(Math.sign(Buffer.compare(a, b)));
  }
});
