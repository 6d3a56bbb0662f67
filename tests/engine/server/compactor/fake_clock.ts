// TEST-ONLY Clock (engine/server/compactor/compactor.ts) whose time moves only when advance() is called:
// sleepers wake in time order, and after each wake-up the microtasks and immediates they queue run, so a
// compactor loop reaches its next sleep before time moves on.
import type { Clock } from "../../../../engine/server/compactor/index.ts";

interface Sleeper {
  at: number;
  wake: () => void;
}

export class FakeClock implements Clock {
  private t = 0;
  private sleepers: Sleeper[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const s: Sleeper = { at: this.t + ms, wake: resolve };
      this.sleepers.push(s);
      signal.addEventListener("abort", () => {
        this.sleepers = this.sleepers.filter((x) => x !== s);
        resolve();
      });
    });
  }

  /** Moves time forward by `ms`, waking every sleeper that is due, earliest first. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.t = due.at;
      due.wake();
      await settle();
    }
    this.t = end;
  }

  get sleeping(): number {
    return this.sleepers.length;
  }
}

/** Lets queued promise continuations run (several rounds: a loop iteration awaits more than once). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
