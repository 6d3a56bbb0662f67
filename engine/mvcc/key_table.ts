// KeyTable: exact-key lookup beside the OrderedTree, an open-addressing hash table (linear probing) over the
// tree's items. Why: under load a tree descent costs 3–7 µs per lookup, measured in the server (each of its ~14
// key comparisons touches a key object and its bytes somewhere else in the heap, evicted between requests);
// a probe here touches two typed arrays, one item and its key. Every write and every single-key read does one.
// Invariants: it holds exactly the tree's items; slots[i] is 0 (empty) or the item's position in `items` + 1,
// and hashes[i] its key's hash; at most half the slots are used. There is no delete: the tree's only removal
// (compaction) rebuilds the table with reset().

import { equalBytes } from "../bytes/compare.ts";

const MIN_SLOTS = 16;

interface Keyed {
  readonly key: Uint8Array;
}

/** 32-bit FNV-1a of the bytes, finished with murmur3's avalanche so linear probing sees well-mixed low bits. */
export function hashBytes(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class KeyTable<T extends Keyed> {
  private items: T[] = [];
  private slots = new Int32Array(MIN_SLOTS);
  private hashes = new Int32Array(MIN_SLOTS);

  /** The item whose key equals key, or undefined. */
  get(key: Uint8Array): T | undefined {
    const h = hashBytes(key);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s === 0) return undefined;
      if (this.hashes[i] === h) {
        const item = this.items[s - 1]!;
        if (equalBytes(item.key, key)) return item;
      }
    }
  }

  /** Adds an item whose key is not in the table. */
  add(item: T): void {
    if ((this.items.length + 1) * 2 > this.slots.length) this.resize(this.slots.length * 2);
    this.items.push(item);
    this.place(hashBytes(item.key), this.items.length);
  }

  /** Replaces the contents with `items` (distinct keys). */
  reset(items: readonly T[]): void {
    this.items = items.slice();
    let n = MIN_SLOTS;
    while (n < items.length * 2) n *= 2;
    this.slots = new Int32Array(n);
    this.hashes = new Int32Array(n);
    for (let p = 0; p < this.items.length; p++) this.place(hashBytes(this.items[p]!.key), p + 1);
  }

  private place(h: number, slot: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = slot;
    this.hashes[i] = h;
  }

  /** Doubles the slot arrays, re-placing every item by its stored hash. */
  private resize(n: number): void {
    const [slots, hashes] = [this.slots, this.hashes];
    this.slots = new Int32Array(n);
    this.hashes = new Int32Array(n);
    for (let i = 0; i < slots.length; i++) if (slots[i] !== 0) this.place(hashes[i]!, slots[i]!);
  }
}
