// TEST-ONLY wiring for compactor tests: a revision counter the test moves, a compact() that records its
// target revisions (and can be made to fail), the log lines, and a FakeClock.
import { Logger } from "../../../../engine/server/log.ts";
import type { CompactorDeps } from "../../../../engine/server/compactor/index.ts";
import { FakeClock } from "./fake_clock.ts";

export function harness() {
  const state = {
    rev: 1,
    compacted: [] as number[],
    /** The next compact() calls reject with these errors, in order. */
    failures: [] as unknown[],
    lines: [] as string[],
  };
  const clock = new FakeClock();
  const log = new Logger({ sink: (l) => state.lines.push(l.replace(/^\S+ \S+ /, "")) });
  const deps: CompactorDeps = {
    rev: () => state.rev,
    compact: async (rev) => {
      const e = state.failures.shift();
      if (e !== undefined) throw e;
      state.compacted.push(rev);
    },
    log,
    clock,
  };
  return { state, clock, deps };
}
