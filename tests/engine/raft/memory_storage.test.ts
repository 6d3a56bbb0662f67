// MemoryStorage: bounds and errors of entries/term, snapshot creation, compaction, conflict truncation.
import { describe, expect, test } from "bun:test";
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from "../../../engine/raft/errors.ts";
import { MemoryStorage } from "../../../engine/raft/memory_storage.ts";
import { type Entry, EntryType } from "../../../engine/raft/types.ts";

const ent = (index: number, term: number, size = 0): Entry => ({ index, term, type: EntryType.EntryNormal, data: new Uint8Array(size) });

function storageWith(last: number): MemoryStorage {
  const s = new MemoryStorage();
  s.append(Array.from({ length: last }, (_, i) => ent(i + 1, 1 + (i >> 1))));
  return s;
}

describe("MemoryStorage", () => {
  test("entries and term within bounds, errors outside", () => {
    const s = storageWith(6);
    expect(s.firstIndex()).toBe(1);
    expect(s.lastIndex()).toBe(6);
    expect(s.entries(2, 5, Infinity).map((e) => e.index)).toEqual([2, 3, 4]);
    expect(s.term(0)).toBe(0);
    expect(s.term(6)).toBe(3);
    expect(() => s.term(7)).toThrow(UnavailableError);
    expect(() => s.entries(5, 8, Infinity)).toThrow(UnavailableError);
    s.compact(3);
    expect(s.firstIndex()).toBe(4);
    expect(s.term(3)).toBe(2);
    expect(() => s.term(2)).toThrow(CompactedError);
    expect(() => s.entries(3, 5, Infinity)).toThrow(CompactedError);
  });

  test("entries honours maxSize but always returns at least one entry", () => {
    const s = new MemoryStorage();
    s.append([ent(1, 1, 100), ent(2, 1, 100), ent(3, 1, 100)]);
    expect(s.entries(1, 4, 0).length).toBe(1);
    expect(s.entries(1, 4, 250).length).toBe(2);
    expect(s.entries(1, 4, Infinity).length).toBe(3);
  });

  test("append replaces a conflicting tail and ignores compacted entries", () => {
    const s = storageWith(5);
    s.append([ent(3, 9), ent(4, 9)]);
    expect(s.lastIndex()).toBe(4);
    expect(s.term(3)).toBe(9);
    s.compact(3);
    s.append([ent(2, 9), ent(3, 9), ent(4, 9), ent(5, 9)]);
    expect(s.firstIndex()).toBe(4);
    expect(s.lastIndex()).toBe(5);
    expect(() => s.append([ent(9, 9)])).toThrow();
  });

  test("createSnapshot records index, term and conf state; older snapshots are refused", () => {
    const s = storageWith(6);
    const snap = s.createSnapshot(4, { voters: [1n], learners: [] }, new Uint8Array([7]));
    expect(snap.metadata).toEqual({ index: 4, term: 2, confState: { voters: [1n], learners: [] } });
    expect(s.snapshot()).toBe(snap);
    expect(() => s.createSnapshot(3, null, new Uint8Array())).toThrow(SnapshotOutOfDateError);
    expect(s.initialState().confState).toEqual({ voters: [1n], learners: [] });
  });

  test("applySnapshot replaces the contents; HardState round-trips", () => {
    const s = storageWith(3);
    s.applySnapshot({ data: new Uint8Array(), metadata: { index: 10, term: 4, confState: { voters: [1n, 2n], learners: [3n] } } });
    expect(s.firstIndex()).toBe(11);
    expect(s.lastIndex()).toBe(10);
    expect(s.term(10)).toBe(4);
    expect(() => s.applySnapshot({ data: new Uint8Array(), metadata: { index: 5, term: 4, confState: { voters: [], learners: [] } } })).toThrow(
      SnapshotOutOfDateError,
    );
    s.setHardState({ term: 4, vote: 2n, commit: 10 });
    expect(s.initialState().hardState).toEqual({ term: 4, vote: 2n, commit: 10 });
  });
});
