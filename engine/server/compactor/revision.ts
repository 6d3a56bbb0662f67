// Revision auto-compaction (etcd 3.4 v3compactor/revision.go), retention = a number of revisions N: every
// 5 minutes it compacts to (current revision − N), unless that is not positive or is the revision it last
// compacted to. A failure is retried 5 minutes later.
import { CompactorLoop, type CompactorDeps } from "./compactor.ts";

/** etcd's revInterval. */
export const REV_INTERVAL_MS = 5 * 60_000;

export class Revision extends CompactorLoop {
  constructor(
    readonly retention: number,
    deps: CompactorDeps,
  ) {
    super(deps);
  }

  protected async loop(): Promise<void> {
    let prev = 0;
    for (;;) {
      const turn = await this.waitTurn(REV_INTERVAL_MS);
      if (turn === "stopped") return;
      if (turn === "paused") continue;
      const rev = this.d.rev() - this.retention;
      if (rev <= 0 || rev === prev) continue;
      if (await this.compactLogged(rev, `${this.retention} revisions`, "5m0s")) prev = rev;
    }
  }
}
