// Periodic auto-compaction against etcd 3.4's periodic.go schedule, on a fake clock: the revision is sampled
// every period/10 (period capped at 1h), the first compaction comes one period after start and targets the
// oldest sample, later ones come every min(period, 1h); failures retry at the next sample; "already
// compacted" counts as success; pause/stop. The revision here encodes the minute it was sampled at.
import { expect, test } from "bun:test";
import { rpcError, rpctypes } from "../../../../rpc/errors.ts";
import { Periodic } from "../../../../engine/server/compactor/periodic.ts";
import { harness } from "./harness.ts";
import { settle } from "./fake_clock.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

function start(periodMs: number, unitMs = MIN) {
  const h = harness();
  // The current revision is 1000 + the time in `unitMs` units, so a compaction target shows when it was sampled.
  h.deps.rev = () => 1000 + Math.floor(h.clock.now() / unitMs);
  const c = new Periodic(periodMs, h.deps);
  c.run();
  return { ...h, c };
}

test("intervals and sample count are etcd's (getRetryInterval, getRetentions, getCompactInterval)", () => {
  const h = harness();
  const at = (p: number) => new Periodic(p, h.deps);
  expect([at(HOUR).retryIntervalMs, at(HOUR).retentions, at(HOUR).compactIntervalMs]).toEqual([6 * MIN, 11, HOUR]);
  expect([at(24 * HOUR).retryIntervalMs, at(24 * HOUR).retentions, at(24 * HOUR).compactIntervalMs]).toEqual([6 * MIN, 241, HOUR]);
  expect([at(1000).retryIntervalMs, at(1000).retentions, at(1000).compactIntervalMs]).toEqual([100, 11, 1000]);
});

test("1h: nothing during the first hour, then hourly to the revision sampled about an hour before", async () => {
  const { state, clock, c } = start(HOUR);
  await settle();
  await clock.advance(60 * MIN - 1);
  expect(state.compacted).toEqual([]);
  await clock.advance(1);
  expect(state.compacted).toEqual([1000]); // sampled at minute 0
  await clock.advance(60 * MIN);
  // samples at minutes 60..114 were kept (11 of them): the oldest is minute 54
  expect(state.compacted).toEqual([1000, 1054]);
  await clock.advance(60 * MIN);
  expect(state.compacted).toEqual([1000, 1054, 1114]);
  expect(state.lines.slice(0, 2)).toEqual([
    "N | compactor: Starting auto-compaction at revision 1000 (retention: 1h0m0s)",
    "N | compactor: Finished auto-compaction at revision 1000",
  ]);
  c.stop();
});

test("24h: first compaction after a day to the revision at start, then hourly to the one about 24h old", async () => {
  const { state, clock, c } = start(24 * HOUR);
  await settle();
  await clock.advance(24 * HOUR - 1);
  expect(state.compacted).toEqual([]);
  await clock.advance(1);
  expect(state.compacted).toEqual([1000]);
  await clock.advance(HOUR);
  expect(state.compacted).toEqual([1000, 1054]); // 241 samples kept: the oldest is from minute 54
  c.stop();
});

test("sub-hour durations: 1s samples every 100ms and compacts every second", async () => {
  const { state, clock, c } = start(1000, 100);
  await settle();
  await clock.advance(999);
  expect(state.compacted).toEqual([]);
  await clock.advance(1);
  expect(state.compacted).toEqual([1000]);
  await clock.advance(1000);
  expect(state.compacted).toEqual([1000, 1009]); // sampled at 900ms
  expect(state.lines[0]).toBe("N | compactor: Starting auto-compaction at revision 1000 (retention: 1s)");
  c.stop();
});

test("a failed compaction is logged and retried at the next sample; 'already compacted' counts as done", async () => {
  const { state, clock, c } = start(HOUR);
  await settle();
  state.failures.push(rpcError(rpctypes.Timeout));
  await clock.advance(60 * MIN);
  expect(state.compacted).toEqual([]);
  expect(state.lines).toEqual([
    "N | compactor: Starting auto-compaction at revision 1000 (retention: 1h0m0s)",
    "N | compactor: Failed auto-compaction at revision 1000 (etcdserver: request timed out)",
    "N | compactor: Retry after 6m0s",
  ]);
  await clock.advance(6 * MIN);
  expect(state.compacted).toEqual([1000]);
  // The next one is due an hour after that success; the store says it is compacted already: still "Finished".
  state.failures.push(rpcError(rpctypes.Compacted));
  await clock.advance(60 * MIN);
  expect(state.lines.at(-1)).toBe("N | compactor: Finished auto-compaction at revision 1060");
  await clock.advance(60 * MIN);
  expect(state.compacted).toEqual([1000, 1120]);
  c.stop();
});

test("paused: no compaction until resumed; stopped: no more wake-ups", async () => {
  const { state, clock, c } = start(HOUR);
  await settle();
  c.pause();
  await clock.advance(2 * HOUR);
  expect(state.compacted).toEqual([]);
  c.resume();
  await clock.advance(6 * MIN);
  expect(state.compacted.length).toBe(1);
  c.stop();
  await settle();
  expect(clock.sleeping).toBe(0);
  await clock.advance(5 * HOUR);
  expect(state.compacted.length).toBe(1);
});
