import { describe, expect, test } from "bun:test";
import { RevisionNotFoundError } from "../../../engine/mvcc/errors.ts";
import { KeyIndex } from "../../../engine/mvcc/key_index.ts";
import type { Revision } from "../../../engine/mvcc/revision.ts";
import { RevisionSet } from "../../../engine/mvcc/revision_set.ts";

const r = (main: number, sub = 0): Revision => ({ main, sub });
const fmtRev = (x: Revision) => (x.sub === 0 ? `${x.main}` : `${x.main}.${x.sub}`);
/** Generations as "{created ver: revs}" oldest first. */
const shape = (ki: KeyIndex) => ki.generations().map((g) => `{${fmtRev(g.created)} v${g.ver}: ${g.revs.map(fmtRev).join(" ")}}`).join(" ");
const avail = (s: RevisionSet) => [...s].map(fmtRev).sort((a, b) => parseFloat(a) - parseFloat(b)).join(" ");

/** etcd's newTestKeyIndex: put 2, 4, tombstone 6, put 8, 10, tombstone 12, put 14, 14.1, tombstone 16. */
function fooIndex(): KeyIndex {
  const ki = new KeyIndex(new TextEncoder().encode("foo"));
  ki.put(2, 0);
  ki.put(4, 0);
  ki.tombstone(6, 0);
  ki.put(8, 0);
  ki.put(10, 0);
  ki.tombstone(12, 0);
  ki.put(14, 0);
  ki.put(14, 1);
  ki.tombstone(16, 0);
  return ki;
}

const FULL = "{2 v3: 2 4 6} {8 v3: 8 10 12} {14 v3: 14 14.1 16} {0 v0: }";

describe("KeyIndex (etcd mvcc/key_index.go)", () => {
  test("put and tombstone build generations; a tombstone appends an empty one", () => {
    expect(shape(fooIndex())).toBe(FULL);
    expect(fooIndex().modified()).toEqual(r(16));
  });

  test("put must exceed the last revision", () => {
    const ki = fooIndex();
    expect(() => ki.put(16, 0)).toThrow(/smaller revision/);
    expect(() => ki.put(15, 9)).toThrow(/smaller revision/);
    ki.put(16, 1);
    expect(ki.modified()).toEqual(r(16, 1));
  });

  test("tombstone of a key that is not live is ErrRevisionNotFound", () => {
    const ki = fooIndex();
    expect(() => ki.tombstone(17, 0)).toThrow(RevisionNotFoundError);
    expect(() => ki.tombstone(17, 0)).toThrow("mvcc: revision not found");
    expect(shape(ki)).toBe(FULL);
  });

  // etcd TestKeyIndexGet: the test index compacted at 4.
  const gets: [number, string | undefined][] = [
    [17, undefined], [16, undefined],
    [15, "14.1 14 2"], [14, "14.1 14 2"],
    [13, undefined], [12, undefined],
    [11, "10 8 2"], [10, "10 8 2"], [9, "8 8 1"], [8, "8 8 1"],
    [7, undefined], [6, undefined],
    [5, "4 2 2"], [4, "4 2 2"],
    [3, undefined], [2, undefined], [1, undefined], [0, undefined],
  ];
  test("get at each revision after compact(4): modified, created, version", () => {
    const ki = fooIndex();
    ki.compact(4, new RevisionSet());
    for (const [rev, want] of gets) {
      const g = ki.get(rev);
      expect([rev, g === undefined ? undefined : `${fmtRev(g.modified)} ${fmtRev(g.created)} ${g.version}`]).toEqual([rev, want]);
      expect(ki.existsAt(rev)).toBe(want !== undefined);
      expect(ki.revisionAt(rev)).toEqual(g?.modified);
    }
  });

  test("get on the uncompacted index sees generation 1 from its creation", () => {
    const ki = fooIndex();
    expect(ki.get(1)).toBeUndefined();
    expect(ki.get(2)).toEqual({ modified: r(2), created: r(2), version: 1 });
    expect(ki.get(3)).toEqual({ modified: r(2), created: r(2), version: 1 });
  });

  test("since(rev): revisions with main ≥ rev; one per main, the largest sub (etcd TestKeyIndexSince)", () => {
    const ki = fooIndex();
    ki.compact(4, new RevisionSet());
    const all = "4 6 8 10 12 14.1 16".split(" ");
    const want: [number, string[]][] = [
      [17, []], [16, all.slice(6)], [15, all.slice(6)], [14, all.slice(5)], [13, all.slice(5)], [12, all.slice(4)],
      [11, all.slice(4)], [10, all.slice(3)], [9, all.slice(3)], [8, all.slice(2)], [7, all.slice(2)],
      [6, all.slice(1)], [5, all.slice(1)], [4, all], [3, all], [0, all],
    ];
    for (const [rev, revs] of want) expect([rev, ki.since(rev).map(fmtRev)]).toEqual([rev, revs]);
  });

  // Compaction of the test index at each revision (etcd TestKeyIndexCompactAndKeep): the generations left
  // and the revisions the backend must keep.
  const compactions: [number, string, string][] = [
    [1, FULL, ""],
    [2, FULL, "2"],
    [3, FULL, "2"],
    [4, "{2 v3: 4 6} {8 v3: 8 10 12} {14 v3: 14 14.1 16} {0 v0: }", "4"],
    [5, "{2 v3: 4 6} {8 v3: 8 10 12} {14 v3: 14 14.1 16} {0 v0: }", "4"],
    [6, "{8 v3: 8 10 12} {14 v3: 14 14.1 16} {0 v0: }", ""],
    [7, "{8 v3: 8 10 12} {14 v3: 14 14.1 16} {0 v0: }", ""],
    [8, "{8 v3: 8 10 12} {14 v3: 14 14.1 16} {0 v0: }", "8"],
    [9, "{8 v3: 8 10 12} {14 v3: 14 14.1 16} {0 v0: }", "8"],
    [10, "{8 v3: 10 12} {14 v3: 14 14.1 16} {0 v0: }", "10"],
    [11, "{8 v3: 10 12} {14 v3: 14 14.1 16} {0 v0: }", "10"],
    [12, "{14 v3: 14 14.1 16} {0 v0: }", ""],
    [13, "{14 v3: 14 14.1 16} {0 v0: }", ""],
    [14, "{14 v3: 14.1 16} {0 v0: }", "14.1"], // largest revision with main ≤ 14 is 14.1
    [15, "{14 v3: 14.1 16} {0 v0: }", "14.1"],
    [16, "{0 v0: }", ""],
    [17, "{0 v0: }", ""],
  ];

  test("compact at each revision on a fresh index; keep reports the same revisions without changing it", () => {
    for (const [rev, gens, kept] of compactions) {
      const ki = fooIndex();
      const keep = new RevisionSet();
      ki.keep(rev, keep);
      expect([rev, shape(ki)]).toEqual([rev, FULL]);
      const am = new RevisionSet();
      ki.compact(rev, am);
      expect([rev, shape(ki), avail(am)]).toEqual([rev, gens, kept]);
      expect(avail(keep)).toBe(kept);
      expect(ki.isEmpty()).toBe(rev >= 16);
    }
  });

  test("compacting one index at increasing revisions gives the same results", () => {
    const ki = fooIndex();
    for (const [rev, gens, kept] of compactions) {
      const am = new RevisionSet();
      const keep = new RevisionSet();
      if (!ki.isEmpty()) ki.keep(rev, keep);
      if (!ki.isEmpty()) ki.compact(rev, am);
      expect([rev, shape(ki), avail(am), avail(keep)]).toEqual([rev, gens, kept, kept]);
    }
  });

  test("compact beyond the last revision keeps it (etcd TestKeyIndexCompactOnFurtherRev)", () => {
    const ki = new KeyIndex(new Uint8Array([1]));
    ki.put(1, 0);
    ki.put(2, 0);
    const am = new RevisionSet();
    ki.compact(3, am);
    expect(shape(ki)).toBe("{1 v2: 2}");
    expect(avail(am)).toBe("2");
    expect(ki.get(3)).toEqual({ modified: r(2), created: r(1), version: 2 });
  });

  test("restore starts mid-generation with the stored created revision and version", () => {
    const ki = new KeyIndex(new Uint8Array([1]));
    ki.restore(r(5), r(7), 3);
    expect(ki.get(7)).toEqual({ modified: r(7), created: r(5), version: 3 });
    expect(ki.get(6)).toBeUndefined();
    ki.put(9, 0);
    expect(ki.get(9)).toEqual({ modified: r(9), created: r(5), version: 4 });
    expect(() => ki.restore(r(1), r(1), 1)).toThrow();
  });

  test("isEmpty and isLive", () => {
    const ki = new KeyIndex(new Uint8Array([1]));
    expect(ki.isEmpty()).toBe(true);
    expect(ki.isLive()).toBe(false);
    ki.put(1, 0);
    expect([ki.isEmpty(), ki.isLive()]).toEqual([false, true]);
    ki.tombstone(2, 0);
    expect([ki.isEmpty(), ki.isLive()]).toEqual([false, false]);
    ki.compact(2, new RevisionSet());
    expect(ki.isEmpty()).toBe(true);
    expect(() => ki.get(2)).toThrow(/empty keyIndex/);
    expect(() => ki.tombstone(3, 0)).toThrow(/empty keyIndex/);
  });
});
