// Progress and Inflights: state transitions, pausing, stale-rejection handling, the in-flight window.
import { describe, expect, test } from "bun:test";
import { Inflights } from "../../../engine/raft/inflights.ts";
import { Progress, ProgressState } from "../../../engine/raft/progress.ts";

describe("Inflights", () => {
  test("fills to capacity, frees in order, wraps around the ring", () => {
    const f = new Inflights(4);
    for (const i of [10, 20, 30, 40]) f.add(i);
    expect(f.full()).toBe(true);
    expect(() => f.add(50)).toThrow();
    f.freeLE(25);
    expect(f.count).toBe(2);
    f.add(50);
    f.add(60); // wraps
    expect(f.full()).toBe(true);
    f.freeFirstOne();
    expect(f.count).toBe(3);
    f.freeLE(55);
    expect(f.count).toBe(1);
    f.freeLE(5); // below everything: no-op
    expect(f.count).toBe(1);
    f.freeLE(100);
    expect(f.count).toBe(0);
  });
});

describe("Progress", () => {
  test("probe pauses after one send; an ack moves match and unpauses", () => {
    const p = new Progress(0, 5, 8, false);
    expect(p.isPaused()).toBe(false);
    p.probeSent = true;
    expect(p.isPaused()).toBe(true);
    expect(p.maybeUpdate(4)).toBe(true);
    expect(p.isPaused()).toBe(false);
    expect([p.match, p.next]).toEqual([4, 5]);
    expect(p.maybeUpdate(3)).toBe(false);
  });

  test("maybeDecrTo in probe uses the hint and ignores stale rejections", () => {
    const p = new Progress(2, 10, 8, false);
    expect(p.maybeDecrTo(5, 3)).toBe(false); // not the index we probed (next - 1 = 9)
    expect(p.maybeDecrTo(9, 6)).toBe(true);
    expect(p.next).toBe(7);
    expect(p.maybeDecrTo(6, 0)).toBe(true);
    expect(p.next).toBe(3); // never below match + 1
  });

  test("maybeDecrTo in replicate falls back to match + 1; stale rejections below match are ignored", () => {
    const p = new Progress(5, 6, 8, false);
    p.becomeReplicate();
    p.optimisticUpdate(20);
    expect(p.maybeDecrTo(4, 0)).toBe(false);
    expect(p.maybeDecrTo(12, 0)).toBe(true);
    expect(p.next).toBe(6);
  });

  test("snapshot state pauses; probing after it resumes past the snapshot", () => {
    const p = new Progress(3, 4, 8, false);
    p.becomeSnapshot(50);
    expect(p.state).toBe(ProgressState.Snapshot);
    expect(p.isPaused()).toBe(true);
    p.becomeProbe();
    expect(p.next).toBe(51);
    expect(p.pendingSnapshot).toBe(0);
  });

  test("replicate pauses when the window is full", () => {
    const p = new Progress(0, 1, 2, false);
    p.becomeReplicate();
    p.inflights.add(1);
    expect(p.isPaused()).toBe(false);
    p.inflights.add(2);
    expect(p.isPaused()).toBe(true);
  });
});
