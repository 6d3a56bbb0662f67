// Per-watcher batches of events (etcd mvcc/watcher_group.go eventBatch / watcherBatch): the events of a
// revision-ordered list that each watcher of a group should get, capped at `maxRevs` distinct revisions per
// batch; `moreRev` is the first revision left out, from which the watcher must continue.
// Invariant: a watcher only gets events with modRevision ≥ its minRev (no double notification).

import type { MvccEvent } from "./event.ts";
import type { Watcher } from "./watcher.ts";

/** etcd watchBatchMaxRevs. */
export const WATCH_BATCH_MAX_REVS = 1000;

export class EventBatch {
  readonly evs: MvccEvent[] = [];
  revs = 0;
  moreRev = 0;

  constructor(private readonly maxRevs: number) {}

  add(ev: MvccEvent): void {
    if (this.revs > this.maxRevs) return;
    if (this.evs.length === 0) {
      this.revs = 1;
      this.evs.push(ev);
      return;
    }
    const last = this.evs[this.evs.length - 1].kv!.modRevision;
    const rev = ev.kv!.modRevision;
    if (rev > last) {
      this.revs++;
      if (this.revs > this.maxRevs) {
        this.moreRev = rev;
        return;
      }
    }
    this.evs.push(ev);
  }
}

export type WatcherBatch = Map<Watcher, EventBatch>;

/** The batch of each watcher that `watchersOf` returns for the events' keys. */
export function newWatcherBatch(
  evs: readonly MvccEvent[],
  watchersOf: (key: Uint8Array) => Iterable<Watcher>,
  maxRevs = WATCH_BATCH_MAX_REVS,
): WatcherBatch {
  const wb: WatcherBatch = new Map();
  for (const ev of evs) {
    for (const w of watchersOf(ev.kv!.key)) {
      if (ev.kv!.modRevision < w.minRev) continue;
      let eb = wb.get(w);
      if (eb === undefined) wb.set(w, (eb = new EventBatch(maxRevs)));
      eb.add(ev);
    }
  }
  return wb;
}
