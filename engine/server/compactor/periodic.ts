// Periodic auto-compaction (etcd 3.4 v3compactor/periodic.go), retention = a period P:
//   - every P/10 (P capped at 1 hour for this interval) it samples the current revision, keeping the last
//     int(P / (P/10)) + 1 samples, so the oldest is the revision of about P ago;
//   - nothing is compacted during the first P; then it compacts to the oldest sample, and again every
//     min(P, 1 hour) after the last success; a failure is retried at the next sample.
import { goDuration } from "../go_duration.ts";
import { CompactorLoop, type CompactorDeps } from "./compactor.ts";

const HOUR_MS = 3_600_000;
/** etcd's retryDivisor. */
const RETRY_DIVISOR = 10;

export class Periodic extends CompactorLoop {
  /** The revision samples, oldest first. */
  readonly revs: number[] = [];

  constructor(
    readonly periodMs: number,
    deps: CompactorDeps,
  ) {
    super(deps);
  }

  get compactIntervalMs(): number {
    return Math.min(this.periodMs, HOUR_MS);
  }
  get retryIntervalMs(): number {
    return this.compactIntervalMs / RETRY_DIVISOR;
  }
  /** How many samples are kept (etcd's getRetentions). */
  get retentions(): number {
    return Math.floor(this.periodMs / this.retryIntervalMs) + 1;
  }

  protected async loop(): Promise<void> {
    const retry = this.retryIntervalMs;
    const retention = goDuration(this.periodMs);
    let lastSuccess = this.clock.now();
    let baseInterval = this.periodMs;
    for (;;) {
      this.revs.push(this.d.rev());
      if (this.revs.length > this.retentions) this.revs.shift();
      const turn = await this.waitTurn(retry);
      if (turn === "stopped") return;
      if (turn === "paused") continue;
      if (this.clock.now() - lastSuccess < baseInterval) continue;
      // After the first compaction the period between compactions is capped at an hour.
      if (baseInterval === this.periodMs) baseInterval = this.compactIntervalMs;
      if (await this.compactLogged(this.revs[0], retention, goDuration(retry))) lastSuccess = this.clock.now();
    }
  }
}
