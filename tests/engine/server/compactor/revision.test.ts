// Revision auto-compaction against etcd 3.4's revision.go, on a fake clock: every 5 minutes, compact to
// current revision − retention when that is positive and not the last target; failures retry 5 minutes later.
import { expect, test } from "bun:test";
import { rpcError, rpctypes } from "../../../../rpc/errors.ts";
import { Revision, REV_INTERVAL_MS } from "../../../../engine/server/compactor/revision.ts";
import { harness } from "./harness.ts";
import { settle } from "./fake_clock.ts";

test("every 5 minutes to rev − retention, skipping non-positive and repeated targets", async () => {
  const { state, clock, deps } = harness();
  const c = new Revision(100, deps);
  c.run();
  await settle();
  state.rev = 50; // 50 − 100 ≤ 0: nothing
  await clock.advance(REV_INTERVAL_MS);
  expect(state.compacted).toEqual([]);
  state.rev = 350;
  await clock.advance(REV_INTERVAL_MS - 1);
  expect(state.compacted).toEqual([]);
  await clock.advance(1);
  expect(state.compacted).toEqual([250]);
  await clock.advance(REV_INTERVAL_MS); // same target again: skipped
  expect(state.compacted).toEqual([250]);
  state.rev = 1000;
  await clock.advance(REV_INTERVAL_MS);
  expect(state.compacted).toEqual([250, 900]);
  expect(state.lines).toEqual([
    "N | compactor: Starting auto-compaction at revision 250 (retention: 100 revisions)",
    "N | compactor: Finished auto-compaction at revision 250",
    "N | compactor: Starting auto-compaction at revision 900 (retention: 100 revisions)",
    "N | compactor: Finished auto-compaction at revision 900",
  ]);
  c.stop();
  await settle();
  expect(clock.sleeping).toBe(0);
});

test("a failure retries the same target 5 minutes later; 'already compacted' counts as done", async () => {
  const { state, clock, deps } = harness();
  const c = new Revision(10, deps);
  c.run();
  await settle();
  state.rev = 30;
  state.failures.push(rpcError(rpctypes.Timeout), rpcError(rpctypes.Compacted));
  await clock.advance(REV_INTERVAL_MS);
  expect(state.lines.slice(1)).toEqual([
    "N | compactor: Failed auto-compaction at revision 20 (etcdserver: request timed out)",
    "N | compactor: Retry after 5m0s",
  ]);
  await clock.advance(REV_INTERVAL_MS);
  expect(state.lines.at(-1)).toBe("N | compactor: Finished auto-compaction at revision 20");
  await clock.advance(REV_INTERVAL_MS); // 20 was done: not again
  expect(state.compacted).toEqual([]);
  c.stop();
});
