// Segment names, selection of the segments to read for a snapshot, and etcd's release rule.
import { expect, test } from "bun:test";
import { WalError } from "../../../engine/wal/errors.ts";
import { parseSegmentName, releasableCount, segmentName, segmentsFrom, type SegmentName } from "../../../engine/wal/segment-names.ts";

const seg = (seq: number, firstIndex: number): SegmentName => ({ name: segmentName(seq, firstIndex), seq, firstIndex });

test("names are %016x-%016x.wal and parse back", () => {
  expect(segmentName(1, 0x51)).toBe("0000000000000001-0000000000000051.wal");
  expect(parseSegmentName("0000000000000001-0000000000000051.wal")).toEqual(seg(1, 0x51));
  for (const bad of ["0000000000000001-0000000000000051.wal.tmp", "1-51.wal", "000000000000000g-0000000000000000.wal", "ffffffffffffffff-0000000000000000.wal"]) {
    expect(parseSegmentName(bad)).toBeNull();
  }
});

test("reading starts at the last segment whose first index is at or below the snapshot", () => {
  const all = [seg(0, 0), seg(1, 10), seg(2, 20), seg(3, 30)];
  expect(segmentsFrom("d", all, 0).map((s) => s.seq)).toEqual([0, 1, 2, 3]);
  expect(segmentsFrom("d", all, 19).map((s) => s.seq)).toEqual([1, 2, 3]);
  expect(segmentsFrom("d", all, 20).map((s) => s.seq)).toEqual([2, 3]);
  expect(segmentsFrom("d", all, 1000).map((s) => s.seq)).toEqual([3]);
  expect(() => segmentsFrom("d", all.slice(1), 5)).toThrow(WalError);
  expect(() => segmentsFrom("d", [seg(0, 0), seg(2, 20)], 0)).toThrow(/sequence jumps/);
  expect(() => segmentsFrom("d", [], 0)).toThrow(WalError);
});

test("release keeps the last segment starting below the index, and always the tail (etcd's rule)", () => {
  // etcd's doc example: locks 1..6 (first index = seq here); ReleaseLockTo(4) frees 1,2 and keeps 3.
  const six = [1, 2, 3, 4, 5, 6].map((i) => seg(i, i));
  expect(releasableCount(six, 4)).toBe(2);
  expect(releasableCount(six, 5)).toBe(3);
  expect(releasableCount(six, 1)).toBe(0);
  expect(releasableCount(six, 100)).toBe(5);
  expect(releasableCount([seg(0, 0)], 100)).toBe(0);
});
