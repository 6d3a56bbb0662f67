import { expect, test } from "bun:test";
import { RevisionSet } from "../../../engine/mvcc/revision_set.ts";
import { withSeed } from "../../support/random.ts";

test("RevisionSet behaves like a set of (main, sub) pairs (seeded, against a string Set)", () => {
  withSeed("RevisionSet", (rng) => {
    const s = new RevisionSet();
    const model = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const main = rng.int(20);
      const sub = rng.int(4);
      const k = `${main}.${sub}`;
      switch (rng.int(3)) {
        case 0:
          s.add(main, sub);
          model.add(k);
          break;
        case 1:
          expect(s.delete(main, sub)).toBe(model.delete(k));
          break;
        default:
          expect(s.has(main, sub)).toBe(model.has(k));
      }
      expect(s.size).toBe(model.size);
    }
    expect(new Set([...s].map((r) => `${r.main}.${r.sub}`))).toEqual(model);
    expect(s.hasRevision({ main: 999, sub: 0 })).toBe(false);
  });
});
