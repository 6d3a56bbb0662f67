// The auto-compactor's contract (etcd 3.4 etcdserver/api/v3compactor/compactor.go): run() starts it, stop()
// ends it for good, pause()/resume() suspend compaction. It reads the store's current revision and compacts
// through the server (a Raft proposal, like a client's Compact). Time comes from a Clock so tests can drive
// hours of schedule without sleeping. A compaction refused with "required revision has been compacted"
// counts as done, as in etcd.
import { ConnectError } from "@connectrpc/connect";
import { rpctypes } from "../../../rpc/errors.ts";
import { CompactedError } from "../../mvcc/errors.ts";
import type { Logger } from "../log.ts";

export interface Compactor {
  run(): void;
  stop(): void;
  pause(): void;
  resume(): void;
}

export interface Clock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done);
    }),
};

export interface CompactorDeps {
  /** The store's current revision. */
  rev(): number;
  /** Compacts the store to `rev` through Raft; rejects with the server's error. */
  compact(rev: number): Promise<unknown>;
  log: Logger;
  clock?: Clock;
}

/** mvcc.ErrCompacted, however the server reports it. */
export function isCompactedError(e: unknown): boolean {
  if (e instanceof CompactedError) return true;
  return e instanceof ConnectError && e.rawMessage === rpctypes.Compacted.message;
}

/** The error text etcd logs (Go's err.Error(): the message without a gRPC code). */
export function errorText(e: unknown): string {
  return e instanceof ConnectError ? e.rawMessage : e instanceof Error ? e.message : String(e);
}

/** The run loop's shared state: stop() aborts its sleeps, pause() makes it skip compactions. */
export abstract class CompactorLoop implements Compactor {
  protected readonly abort = new AbortController();
  protected paused = false;
  protected readonly clock: Clock;

  constructor(protected readonly d: CompactorDeps) {
    this.clock = d.clock ?? realClock;
  }

  run(): void {
    void this.loop().catch((e) => this.d.log.warn("compactor", `auto-compaction stopped: ${errorText(e)}`));
  }
  stop(): void {
    this.abort.abort();
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }

  protected abstract loop(): Promise<void>;

  /** Sleeps `ms`, then says whether to go on: stopped meanwhile, paused (etcd skips the turn), or go. */
  protected async waitTurn(ms: number): Promise<"stopped" | "paused" | "go"> {
    await this.clock.sleep(ms, this.abort.signal);
    if (this.abort.signal.aborted) return "stopped";
    return this.paused ? "paused" : "go";
  }

  /** One compaction with etcd's log lines; true when it succeeded or the revision was already compacted. */
  protected async compactLogged(rev: number, retention: string, retryAfter: string): Promise<boolean> {
    const log = this.d.log;
    log.notice("compactor", `Starting auto-compaction at revision ${rev} (retention: ${retention})`);
    try {
      await this.d.compact(rev);
    } catch (e) {
      if (!isCompactedError(e)) {
        log.notice("compactor", `Failed auto-compaction at revision ${rev} (${errorText(e)})`);
        log.notice("compactor", `Retry after ${retryAfter}`);
        return false;
      }
    }
    log.notice("compactor", `Finished auto-compaction at revision ${rev}`);
    return true;
  }
}
