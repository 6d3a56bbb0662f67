// RaftLog and Unstable: append with conflict truncation, matching, commit bounds, conflict hints, slices
// spanning storage and unstable, snapshot restore, and stableTo that ignores replaced entries.
import { describe, expect, test } from "bun:test";
import { RaftInvariantError } from "../../../engine/raft/errors.ts";
import { RaftLog } from "../../../engine/raft/log.ts";
import { MemoryStorage } from "../../../engine/raft/memory_storage.ts";
import { type Entry, EntryType } from "../../../engine/raft/types.ts";

const ent = (index: number, term: number): Entry => ({ index, term, type: EntryType.EntryNormal, data: new Uint8Array([index]) });
const terms = (log: RaftLog) => log.slice(log.firstIndex(), log.lastIndex() + 1, Infinity).map((e) => e.term);

/** Storage holds 1..3 (terms 1,1,2); unstable holds 4..5 (terms 2,3). */
function mixedLog(): RaftLog {
  const s = new MemoryStorage();
  s.append([ent(1, 1), ent(2, 1), ent(3, 2)]);
  const log = new RaftLog(s);
  log.append([ent(4, 2), ent(5, 3)]);
  return log;
}

describe("RaftLog", () => {
  test("spans storage and unstable", () => {
    const log = mixedLog();
    expect(log.firstIndex()).toBe(1);
    expect(log.lastIndex()).toBe(5);
    expect(log.persistedIndex()).toBe(3);
    expect(terms(log)).toEqual([1, 1, 2, 2, 3]);
    expect(log.slice(2, 5, Infinity).map((e) => e.index)).toEqual([2, 3, 4]);
    expect(log.term(0)).toBe(0);
    expect(log.term(9)).toBe(0);
    expect(() => log.slice(0, 2, Infinity)).toThrow(RaftInvariantError);
  });

  test("maybeAppend: rejects on mismatch, truncates a conflicting suffix, commits up to the new last", () => {
    const log = mixedLog();
    expect(log.maybeAppend(5, 2, 5, [])).toBe(-1); // term at 5 is 3
    expect(log.maybeAppend(3, 2, 10, [ent(4, 2), ent(5, 4)])).toBe(5);
    expect(terms(log)).toEqual([1, 1, 2, 2, 4]);
    expect(log.committed).toBe(5);
    expect(() => log.maybeAppend(1, 1, 5, [ent(2, 9)])).toThrow(RaftInvariantError); // would rewrite committed
  });

  test("maybeAppend of entries already present changes nothing", () => {
    const log = mixedLog();
    expect(log.maybeAppend(2, 1, 0, [ent(3, 2), ent(4, 2)])).toBe(4);
    expect(terms(log)).toEqual([1, 1, 2, 2, 3]); // entry 5 kept: no conflict
  });

  test("findConflictByTerm gives the last index whose term is <= the given term", () => {
    const log = mixedLog();
    expect(log.findConflictByTerm(5, 2)).toEqual([4, 2]);
    expect(log.findConflictByTerm(5, 1)).toEqual([2, 1]);
    expect(log.findConflictByTerm(5, 0)).toEqual([0, 0]);
    expect(log.findConflictByTerm(3, 5)).toEqual([3, 2]);
  });

  test("isUpToDate compares last term, then last index", () => {
    const log = mixedLog();
    expect(log.isUpToDate(1, 4)).toBe(true);
    expect(log.isUpToDate(5, 3)).toBe(true);
    expect(log.isUpToDate(4, 3)).toBe(false);
    expect(log.isUpToDate(9, 2)).toBe(false);
  });

  test("maybeCommit only commits an index of the given term", () => {
    const log = mixedLog();
    expect(log.maybeCommit(4, 3)).toBe(false);
    expect(log.maybeCommit(5, 3)).toBe(true);
    expect(log.committed).toBe(5);
    expect(() => log.commitTo(6)).toThrow(RaftInvariantError);
  });

  test("nextEntries hands out committed, unapplied entries; appliedTo is bounded by commit", () => {
    const log = mixedLog();
    log.commitTo(4);
    expect(log.nextEntries(Infinity).map((e) => e.index)).toEqual([1, 2, 3, 4]);
    log.appliedTo(2);
    expect(log.nextEntries(Infinity).map((e) => e.index)).toEqual([3, 4]);
    expect(() => log.appliedTo(5)).toThrow(RaftInvariantError);
  });

  test("stableTo drops persisted entries unless they were replaced in the meantime", () => {
    const log = mixedLog();
    log.append([ent(5, 4)]); // replaces (5, 3)
    log.unstable.stableTo(5, 3);
    expect(log.persistedIndex()).toBe(3);
    log.unstable.stableTo(5, 4);
    expect(log.persistedIndex()).toBe(5);
    expect(log.unstable.entries).toEqual([]);
  });

  test("restore from a snapshot moves first/last/commit to the snapshot", () => {
    const log = mixedLog();
    log.restore({ data: new Uint8Array(), metadata: { index: 20, term: 7, confState: { voters: [1n], learners: [] } } });
    expect(log.firstIndex()).toBe(21);
    expect(log.lastIndex()).toBe(20);
    expect(log.committed).toBe(20);
    expect(log.term(20)).toBe(7);
    expect(log.persistedIndex()).toBe(0);
    log.unstable.stableSnapTo(20);
    expect(log.persistedIndex()).toBe(20);
  });
});
