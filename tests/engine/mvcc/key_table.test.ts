// KeyTable against a Map model: seeded random keys (short, sharing prefixes, the empty key), adds through several
// doublings, lookups of present and absent keys, and reset() to a subset as compaction does.
import { expect, test } from "bun:test";
import { hashBytes, KeyTable } from "../../../engine/mvcc/key_table.ts";
import { type Rng, withSeed } from "../../support/random.ts";

interface Item {
  key: Uint8Array;
  n: number;
}

const hex = (k: Uint8Array) => Buffer.from(k).toString("hex");

function randomKey(rng: Rng): Uint8Array {
  const b = new Uint8Array(rng.int(6));
  for (let i = 0; i < b.length; i++) b[i] = rng.int(3) === 0 ? rng.int(256) : 0x61 + rng.int(4);
  return b;
}

test("finds exactly the items added, through growth and reset (seeded model)", () => {
  withSeed("KeyTable model", (rng) => {
    const table = new KeyTable<Item>();
    const model = new Map<string, Item>();
    for (let step = 0; step < 6000; step++) {
      const key = randomKey(rng);
      const k = hex(key);
      const want = model.get(k);
      expect(table.get(key)).toBe(want);
      if (want === undefined) {
        const item = { key, n: step };
        table.add(item);
        model.set(k, item);
      }
      if (step % 1500 === 1499) {
        // compaction keeps a subset: the table is rebuilt from the survivors
        const kept = [...model.values()].filter(() => rng.int(2) === 0);
        table.reset(kept);
        model.clear();
        for (const it of kept) model.set(hex(it.key), it);
      }
    }
    for (const it of model.values()) expect(table.get(new Uint8Array(it.key))).toBe(it); // equal bytes, another array
    expect(table.get(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
  });
});

test("hashBytes depends on every byte and on length", () => {
  const base = hashBytes(new Uint8Array([1, 2, 3, 4]));
  expect(hashBytes(new Uint8Array([1, 2, 3, 5]))).not.toBe(base);
  expect(hashBytes(new Uint8Array([0, 2, 3, 4]))).not.toBe(base);
  expect(hashBytes(new Uint8Array([1, 2, 3, 4, 0]))).not.toBe(base);
  expect(hashBytes(new Uint8Array(0))).toBe(hashBytes(new Uint8Array(0)));
});
