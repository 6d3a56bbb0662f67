// ReadIndexer.waitApplied (etcd's applyWait): resolves once the applied index reaches the one asked for; a wait whose
// signal aborts resolves at once and is dropped, so later applies neither see it nor keep it.
import { expect, test } from "bun:test";
import { ReadIndexer } from "../../../engine/server/read_index.ts";

test("waitApplied resolves at the applied index, or when its signal aborts (and is then forgotten)", async () => {
  let applied = 3;
  const r = new ReadIndexer(() => undefined, () => applied);
  let early = false;
  let late = false;
  await r.waitApplied(2); // already applied
  const ac = new AbortController();
  const far = r.waitApplied(1_000_000, ac.signal).then(() => (early = true));
  const near = r.waitApplied(5).then(() => (late = true));
  applied = 4;
  r.onApplied();
  await Bun.sleep(1);
  expect([early, late]).toEqual([false, false]);
  ac.abort();
  await far;
  expect(early).toBe(true);
  applied = 5;
  r.onApplied();
  await near;
  expect(late).toBe(true);
  expect((r as unknown as { waitingApply: unknown[] }).waitingApply).toEqual([]); // the aborted wait is gone too
  await r.waitApplied(9, ac.signal); // an already aborted signal does not wait
});
