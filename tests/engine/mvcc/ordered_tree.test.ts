import { expect, test } from "bun:test";
import { compareBytes } from "../../../engine/bytes/compare.ts";
import { OrderedTree } from "../../../engine/mvcc/ordered_tree.ts";
import { type Rng, withSeed } from "../../support/random.ts";

interface Item {
  key: Uint8Array;
  n: number;
}

function randomKey(rng: Rng): Uint8Array {
  const b = new Uint8Array(rng.int(7)); // up to ~12k distinct keys per run: three levels of 64-way nodes
  for (let i = 0; i < b.length; i++) b[i] = rng.int(4) === 0 ? rng.int(256) : 0x61 + rng.int(6);
  return b;
}

const str = (k: Uint8Array) => Buffer.from(k).toString("hex");

/** Items of the tree from start (inclusive), up to max of them. */
function scan(t: OrderedTree<Item>, start: Uint8Array | undefined, max: number): string[] {
  const out: string[] = [];
  t.ascend(start, (it) => {
    out.push(str(it.key));
    return out.length < max;
  });
  return out;
}

test("compareBytes is unsigned byte order, shorter prefix first", () => {
  expect(compareBytes(new Uint8Array([0x7f]), new Uint8Array([0x80]))).toBeLessThan(0);
  expect(compareBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBeLessThan(0);
  expect(compareBytes(new Uint8Array([2]), new Uint8Array([1, 9]))).toBeGreaterThan(0);
  expect(compareBytes(new Uint8Array([]), new Uint8Array([]))).toBe(0);
});

test("upsert/get/ascend agree with a sorted model through splits, bulk builds and retain (seeded)", () => {
  withSeed("OrderedTree model", (rng) => {
    const tree = new OrderedTree<Item>();
    const model = new Map<string, Item>();
    const sortedModel = () => [...model.values()].sort((a, b) => compareBytes(a.key, b.key));
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 6000; i++) {
        const key = randomKey(rng);
        const k = str(key);
        let created = false;
        const it = tree.upsert(key, () => {
          created = true;
          return { key, n: i };
        });
        expect(created).toBe(!model.has(k));
        if (created) model.set(k, it);
        expect(it).toBe(model.get(k) as Item);
        const probe = randomKey(rng);
        expect(tree.get(probe)).toBe(model.get(str(probe)));
      }
      expect(tree.size).toBe(model.size);
      const all = sortedModel().map((x) => str(x.key));
      expect(scan(tree, undefined, Infinity)).toEqual(all);
      for (let q = 0; q < 200; q++) {
        const start = randomKey(rng);
        const max = 1 + rng.int(100);
        const from = all.findIndex((k) => compareBytes(Buffer.from(k, "hex"), start) >= 0);
        expect(scan(tree, start, max)).toEqual(from < 0 ? [] : all.slice(from, from + max));
      }
      // Drop about half, then rebuild from a fresh sorted list, alternating the two O(n) paths.
      if (round % 2 === 0) {
        tree.retain((it) => it.n % 2 === 0);
        for (const [k, it] of model) if (it.n % 2 !== 0) model.delete(k);
      } else {
        const keep = sortedModel().filter(() => rng.int(2) === 0);
        tree.buildFrom(keep);
        model.clear();
        for (const it of keep) model.set(str(it.key), it);
      }
      expect(scan(tree, undefined, Infinity)).toEqual(sortedModel().map((x) => str(x.key)));
      expect(tree.size).toBe(model.size);
    }
  });
});

test("an empty tree and a tree built from nothing", () => {
  const t = new OrderedTree<Item>();
  expect(t.get(new Uint8Array([1]))).toBeUndefined();
  expect(scan(t, undefined, 10)).toEqual([]);
  t.buildFrom([]);
  expect(t.size).toBe(0);
  t.upsert(new Uint8Array([1]), () => ({ key: new Uint8Array([1]), n: 0 }));
  expect(scan(t, new Uint8Array([0]), 10)).toEqual(["01"]);
});

test("bulk(): inserts with lookups by descent inside, the hash table rebuilt after (seeded)", () => {
  withSeed("OrderedTree bulk", (rng) => {
    const t = new OrderedTree<Item>();
    const model = new Map<string, Item>();
    const insert = (key: Uint8Array, n: number) => {
      const it = t.upsert(key, () => ({ key, n }));
      if (!model.has(str(key))) model.set(str(key), it);
      expect(it).toBe(model.get(str(key))!);
    };
    for (let i = 0; i < 300; i++) insert(randomKey(rng), i);
    t.bulk(() => {
      for (let i = 0; i < 3000; i++) {
        const key = randomKey(rng);
        expect(t.get(key)).toBe(model.get(str(key)));
        insert(key, i);
      }
    });
    for (let i = 0; i < 300; i++) insert(randomKey(rng), i); // after: the table serves lookups and takes inserts again
    for (const it of model.values()) expect(t.get(new Uint8Array(it.key))).toBe(it);
    expect(t.size).toBe(model.size);
  });
});
