// Model-based randomized test: TreeIndex + KeyIndex against a naive reference that keeps every revision of
// every key in a list. Random transactions of puts and deletes, then gets, ranges (with limits), counts and
// rangeSince at random revisions, compactions, and rebuilds through IndexRestorer from the revisions a
// compacted backend would still hold. After compaction at C, reads at revisions ≥ C must be unchanged.
import { expect, test } from "bun:test";
import { IndexRestorer } from "../../../engine/mvcc/index_restorer.ts";
import { type KeyValue, keyValue } from "../../../engine/mvcc/key_value.ts";
import { compareBytes } from "../../../engine/bytes/compare.ts";
import { compareRevision, type Revision, revToBytes } from "../../../engine/mvcc/revision.ts";
import { TreeIndex } from "../../../engine/mvcc/tree_index.ts";
import { type Rng, withSeed } from "../../support/random.ts";

interface Change {
  main: number;
  sub: number;
  tomb: boolean;
}

const hex = (k: Uint8Array) => Buffer.from(k).toString("hex");
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const ALL = new Uint8Array([0]);

/** The naive reference: every change of every key, in order. */
class Model {
  readonly changes = new Map<string, Change[]>();

  apply(key: Uint8Array, c: Change): void {
    const h = hex(key);
    const list = this.changes.get(h) ?? [];
    list.push(c);
    this.changes.set(h, list);
  }

  isLive(key: Uint8Array): boolean {
    const list = this.changes.get(hex(key));
    return list !== undefined && !list[list.length - 1].tomb;
  }

  get(h: string, at: number) {
    const list = this.changes.get(h) ?? [];
    let i = list.length - 1;
    while (i >= 0 && list[i].main > at) i--;
    if (i < 0 || list[i].tomb) return undefined;
    let first = i;
    while (first > 0 && !list[first - 1].tomb) first--;
    const rev = (c: Change): Revision => ({ main: c.main, sub: c.sub });
    return { modified: rev(list[i]), created: rev(list[first]), version: i - first + 1 };
  }

  /** Keys in [start, end) (end undefined = just start, ALL = unbounded), sorted. */
  keysIn(start: Uint8Array, end: Uint8Array | undefined): string[] {
    // etcd's range_end conventions: absent or empty = the single key; [0x00] = every key >= start.
    const single = end === undefined || end.length === 0;
    const all = end !== undefined && end.length === 1 && end[0] === 0;
    const inRange = (k: Uint8Array) =>
      single ? compareBytes(k, start) === 0 : compareBytes(k, start) >= 0 && (all || compareBytes(k, end!) < 0);
    return [...this.changes.keys()].filter((h) => inRange(fromHex(h))).sort((a, b) => compareBytes(fromHex(a), fromHex(b)));
  }

  since(start: Uint8Array, end: Uint8Array | undefined, rev: number): Revision[] {
    const out: Revision[] = [];
    for (const h of this.keysIn(start, end)) {
      const mine: Revision[] = [];
      for (const c of this.changes.get(h) ?? []) {
        if (c.main < rev) continue;
        if (mine.length > 0 && mine[mine.length - 1].main === c.main) mine.pop();
        mine.push({ main: c.main, sub: c.sub });
      }
      out.push(...mine);
    }
    return out.sort(compareRevision);
  }
}

function randomKey(rng: Rng, pool: Uint8Array[]): Uint8Array {
  return pool[rng.int(pool.length)];
}

function keyPool(rng: Rng): Uint8Array[] {
  const pool: Uint8Array[] = [];
  for (let i = 0; i < 120; i++) {
    const k = new Uint8Array(1 + rng.int(4));
    for (let j = 0; j < k.length; j++) k[j] = rng.int(3) === 0 ? rng.int(256) : 0x61 + rng.int(4);
    pool.push(k);
  }
  return pool;
}

function check(rng: Rng, ti: TreeIndex, model: Model, pool: Uint8Array[], compacted: number, current: number): void {
  const at = () => compacted + rng.int(current - compacted + 2); // up to one past current
  for (let q = 0; q < 30; q++) {
    const key = randomKey(rng, pool);
    const a = at();
    // created.sub is compared as main only: a restore knows just create_revision (etcd sets sub 0), and
    // only the main is visible to clients.
    const view = (g: ReturnType<Model["get"]>) => g && { modified: g.modified, created: g.created.main, version: g.version };
    expect(view(ti.get(key, a))).toEqual(view(model.get(hex(key), a)));
  }
  for (let q = 0; q < 10; q++) {
    const start = randomKey(rng, pool);
    const end = [undefined, ALL, randomKey(rng, pool)][rng.int(3)];
    const a = at();
    const limit = rng.int(3) === 0 ? 0 : 1 + rng.int(10);
    const hits = model.keysIn(start, end).flatMap((h) => {
      const g = model.get(h, a);
      return g === undefined ? [] : [{ h, rev: g.modified }];
    });
    const shown = limit > 0 ? hits.slice(0, limit) : hits;
    const got = ti.range(start, end, a, limit);
    expect({ keys: got.keys.map(hex), revs: got.revs, total: got.total }).toEqual({ keys: shown.map((x) => x.h), revs: shown.map((x) => x.rev), total: hits.length });
    expect(ti.countRevisions(start, end, a)).toBe(hits.length);
    const since = compacted + 1 + rng.int(current - compacted + 1);
    expect(ti.rangeSince(start, end, since)).toEqual(model.since(start, end, since));
  }
}

/** What the key bucket holds after compaction at C: the kept revisions and everything above C. */
function restoreFromBucket(model: Model, kept: Iterable<Revision>, compacted: number): TreeIndex {
  const keptKeys = new Set([...kept].map((r) => `${r.main}.${r.sub}`));
  const entries: { rev: Revision; tomb: boolean; kv: KeyValue }[] = [];
  for (const [h, list] of model.changes) {
    const key = fromHex(h);
    let created = 0;
    let version = 0;
    for (const c of list) {
      if (c.tomb) [created, version] = [0, 0];
      else [created, version] = [version === 0 ? c.main : created, version + 1];
      if (c.main <= compacted && !keptKeys.has(`${c.main}.${c.sub}`)) continue;
      const kv = c.tomb ? keyValue({ key }) : keyValue({ key, createRevision: created, modRevision: c.main, version });
      entries.push({ rev: { main: c.main, sub: c.sub }, tomb: c.tomb, kv });
    }
  }
  entries.sort((a, b) => compareRevision(a.rev, b.rev));
  const ti = new TreeIndex();
  const restorer = new IndexRestorer(ti);
  for (const e of entries) restorer.add(revToBytes(e.rev, e.tomb), e.kv);
  return ti;
}

function run(rng: Rng): void {
  const pool = keyPool(rng);
  const model = new Model();
  let ti = new TreeIndex();
  let current = 1;
  let compacted = 0;
  for (let txn = 0; txn < 400; txn++) {
    current++;
    const ops = 1 + (rng.int(4) === 0 ? rng.int(5) : 0);
    for (let sub = 0; sub < ops; sub++) {
      const key = randomKey(rng, pool);
      if (model.isLive(key) && rng.int(3) === 0) {
        ti.tombstone(key, { main: current, sub });
        model.apply(key, { main: current, sub, tomb: true });
      } else {
        ti.put(key, { main: current, sub });
        model.apply(key, { main: current, sub, tomb: false });
      }
    }
    if (txn % 10 === 0) check(rng, ti, model, pool, compacted, current);
    if (rng.int(40) === 0) {
      const c = compacted + rng.int(current - compacted + 1);
      const fmt = (set: Iterable<Revision>) => [...set].sort(compareRevision);
      const visibleAtC = [...model.changes.keys()].flatMap((h) => model.get(h, c)?.modified ?? []).sort(compareRevision);
      const keep = fmt(ti.keep(c));
      const kept = fmt(ti.compact(c));
      expect(kept).toEqual(visibleAtC);
      expect(keep).toEqual(kept);
      compacted = c;
      check(rng, ti, model, pool, compacted, current);
      if (rng.int(2) === 0) {
        ti = restoreFromBucket(model, kept, compacted);
        check(rng, ti, model, pool, compacted, current);
      }
    }
  }
}

test("TreeIndex matches a naive every-revision model under puts, deletes, reads, compaction, restore (seeded)", () => {
  for (let i = 0; i < 4; i++) withSeed(`model run ${i}`, run);
});
