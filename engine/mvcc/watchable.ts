// The watchable half of the store (etcd mvcc/watchable_store.go): watchers are `synced` (caught up; they
// get each write's events from notify() as it is applied), `unsynced` (behind; a periodic sync reads their
// missed events from the backend, ≤ maxRevsPerBatch revisions per round, then moves them to synced) or
// victims (their stream was full; the undelivered batch is held and retried, so a slow consumer never blocks
// writers). A watcher behind the compaction revision gets one response with compactRevision and is dropped.
// Invariants: a watcher is in exactly one of synced, unsynced, a victim batch (or none once cancelled); each
// watcher receives events in revision order with no gap and no duplicate, because minRev only moves forward
// past revisions whose events were delivered or are held in its victim batch.

import { EventBatch, newWatcherBatch, WATCH_BATCH_MAX_REVS, type WatcherBatch } from "./event_batch.ts";
import { EVENT_DELETE, EVENT_PUT, type MvccEvent } from "./event.ts";
import { decodeKeyValue, type KeyValue } from "./key_value.ts";
import type { KvState } from "./kv_state.ts";
import { bytesToRev, isTombstone, revToBytes } from "./revision.ts";
import { KEY_BUCKET } from "./schema.ts";
import { type WatchFilters, Watcher, type WatchSink } from "./watcher.ts";
import { WatcherGroup } from "./watcher_group.ts";
import { copyBytes } from "../bytes/copy.ts";

export interface WatchableOptions {
  /** Period of the unsynced-watcher sync in ms (etcd: 100). */
  syncIntervalMs?: number;
  /** Period of victim retries in ms while there are victims (etcd: 10). */
  victimRetryMs?: number;
  /** Unsynced watchers served per sync round (etcd maxWatchersPerSync: 512). */
  maxWatchersPerSync?: number;
  /** Distinct revisions per response to an unsynced watcher (etcd watchBatchMaxRevs: 1000). */
  maxRevsPerBatch?: number;
}

export class Watchable {
  readonly synced = new WatcherGroup();
  readonly unsynced = new WatcherGroup();
  private victims: WatcherBatch[] = [];
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private victimTimer: ReturnType<typeof setTimeout> | undefined;
  /** The pending victim retry has delay 0. */
  private victimTimerSoon = false;
  private closed = false;
  private readonly syncIntervalMs: number;
  private readonly victimRetryMs: number;
  private readonly maxWatchersPerSync: number;
  private readonly maxRevsPerBatch: number;

  constructor(
    private readonly s: KvState,
    opts: WatchableOptions = {},
  ) {
    this.syncIntervalMs = opts.syncIntervalMs ?? 100;
    this.victimRetryMs = opts.victimRetryMs ?? 10;
    this.maxWatchersPerSync = opts.maxWatchersPerSync ?? 512;
    this.maxRevsPerBatch = opts.maxRevsPerBatch ?? WATCH_BATCH_MAX_REVS;
  }

  /** etcd watchableStore.watch: startRev 0 or in the future → synced from there; else unsynced. */
  watch(id: number, key: Uint8Array, end: Uint8Array | undefined, startRev: number, sink: WatchSink, filters: WatchFilters, prevKv: boolean): Watcher {
    const cur = this.s.currentRev;
    const synced = startRev > cur || startRev === 0;
    const w = new Watcher(id, copyBytes(key), end && copyBytes(end), synced ? Math.max(cur + 1, startRev) : startRev, sink, filters, prevKv);
    if (synced) this.synced.add(w);
    else {
      this.unsynced.add(w);
      this.scheduleSync(0);
    }
    return w;
  }

  /** Removes the watcher wherever it is; it sends nothing afterwards. */
  cancel(w: Watcher): void {
    w.active = false;
    if (this.unsynced.delete(w) || this.synced.delete(w)) return;
    for (const wb of this.victims) if (wb.delete(w)) return;
  }

  /** etcd progress: a synced watcher gets an empty response at the current revision. */
  progress(w: Watcher): void {
    if (this.synced.has(w)) w.send({ watchId: w.id, events: [], revision: this.s.currentRev, compactRevision: 0 });
  }

  /** etcd notify: the events of the write txn that made `rev` current, to synced watchers. */
  notify(rev: number, changes: readonly KeyValue[]): void {
    if (this.synced.size === 0) return;
    // a txn's changes hold its caller's key and value (write_txn.ts): events, which outlive the call in watchers'
    // queues, get their own copies
    const evs: MvccEvent[] = changes.map((kv) =>
      kv.createRevision === 0
        ? { type: EVENT_DELETE, kv: { ...kv, modRevision: rev } }
        : { type: EVENT_PUT, kv: { ...kv, key: copyBytes(kv.key), value: copyBytes(kv.value) } },
    );
    let victim: WatcherBatch | undefined;
    const stalled = (w: Watcher, eb: EventBatch) => {
      w.minRev = rev + 1;
      w.victim = true;
      (victim ??= new Map()).set(w, eb);
      this.synced.delete(w);
    };
    if (evs.length === 1) {
      // one key written (the common case, and a fan-out's): every watcher of it gets the same one-event list,
      // so the wire side encodes it once; no per-watcher batch is built unless the watcher stalls
      const ev = evs[0]!;
      for (const w of this.synced.watchersOf(ev.kv!.key)) {
        if (ev.kv!.modRevision < w.minRev || w.send({ watchId: w.id, events: evs, revision: rev, compactRevision: 0 })) continue;
        const eb = new EventBatch(WATCH_BATCH_MAX_REVS); // what newWatcherBatch below gives a batch
        eb.add(ev);
        stalled(w, eb);
      }
    } else {
      for (const [w, eb] of newWatcherBatch(evs, (k) => this.synced.watchersOf(k))) {
        if (!w.send({ watchId: w.id, events: eb.evs, revision: rev, compactRevision: 0 })) stalled(w, eb);
      }
    }
    if (victim !== undefined) this.addVictim(victim);
  }

  private addVictim(wb: WatcherBatch): void {
    this.victims.push(wb);
    this.scheduleVictims(this.victimRetryMs);
  }

  /** A consumer made room: retry victims soon. */
  kickVictims(): void {
    if (this.victims.length > 0) this.scheduleVictims(0);
  }

  private scheduleVictims(delay: number): void {
    if (this.closed) return;
    if (this.victimTimer !== undefined) {
      // a retry is already due that soon: every poll of a consumer kicks, so keep the timer rather than churn it
      if (delay > 0 || this.victimTimerSoon) return;
      clearTimeout(this.victimTimer);
    }
    this.victimTimerSoon = delay === 0;
    this.victimTimer = setTimeout(() => {
      this.victimTimer = undefined;
      while (this.moveVictims() !== 0) {}
      if (this.victims.length > 0) this.scheduleVictims(this.victimRetryMs);
    }, delay);
  }

  private scheduleSync(delay: number): void {
    if (this.closed || this.syncTimer !== undefined) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      const before = this.unsynced.size;
      const left = before > 0 ? this.syncWatchers() : 0;
      if (left > 0) this.scheduleSync(left < before ? 0 : this.syncIntervalMs);
    }, delay);
  }

  /** etcd moveVictims: resend held batches; delivered watchers go back to unsynced or synced. */
  moveVictims(): number {
    const victims = this.victims;
    this.victims = [];
    let moved = 0;
    const stuck: WatcherBatch = new Map();
    for (const wb of victims) {
      for (const [w, eb] of wb) {
        if (w.send({ watchId: w.id, events: eb.evs, revision: w.minRev - 1, compactRevision: 0 })) moved++;
        else stuck.set(w, eb);
      }
      const cur = this.s.currentRev;
      for (const [w, eb] of wb) {
        if (stuck.has(w)) continue;
        w.victim = false;
        if (eb.moreRev !== 0) w.minRev = eb.moreRev;
        if (w.minRev <= cur) {
          this.unsynced.add(w);
          this.scheduleSync(0);
        } else this.synced.add(w);
      }
    }
    if (stuck.size > 0) this.victims.push(stuck);
    return moved;
  }

  /** Picks up to maxWatchersPerSync unsynced watchers; cancels the compacted ones. Returns the min minRev. */
  private choose(compactRev: number): [Watcher[], number] {
    const chosen: Watcher[] = [];
    let minRev = Number.MAX_SAFE_INTEGER;
    for (const w of this.unsynced.all) {
      if (chosen.length >= this.maxWatchersPerSync) break;
      if (w.minRev < compactRev) {
        if (w.sink.offer({ watchId: w.id, events: [], revision: 0, compactRevision: compactRev })) {
          w.compacted = true;
          this.unsynced.delete(w);
        }
        continue;
      }
      chosen.push(w);
      minRev = Math.min(minRev, w.minRev);
    }
    return [chosen, minRev];
  }

  /** etcd syncWatchers: one catch-up round for unsynced watchers. Returns how many stay unsynced. */
  syncWatchers(): number {
    if (this.unsynced.size === 0) return 0;
    const curRev = this.s.currentRev;
    const [chosen, minRev] = this.choose(this.s.compactMainRev);
    if (chosen.length === 0) return this.unsynced.size;
    const group = new WatcherGroup();
    for (const w of chosen) group.add(w);
    const evs = this.eventsSince(minRev, curRev, group);
    const wb = newWatcherBatch(evs, (k) => group.watchersOf(k), this.maxRevsPerBatch);
    let victims: WatcherBatch | undefined;
    for (const w of chosen) {
      w.minRev = curRev + 1;
      const eb = wb.get(w);
      if (eb === undefined) {
        this.unsynced.delete(w);
        this.synced.add(w);
        continue;
      }
      if (eb.moreRev !== 0) w.minRev = eb.moreRev;
      this.unsynced.delete(w);
      if (w.send({ watchId: w.id, events: eb.evs, revision: curRev, compactRevision: 0 })) {
        if (eb.moreRev !== 0) this.unsynced.add(w);
        else this.synced.add(w);
      } else {
        w.victim = true;
        (victims ??= new Map()).set(w, eb);
      }
    }
    if (victims !== undefined) this.addVictim(victims);
    return this.unsynced.size;
  }

  /** etcd kvsToEvents over the key bucket, revisions [minRev, curRev], keys some watcher of group covers. */
  private eventsSince(minRev: number, curRev: number, group: WatcherGroup): MvccEvent[] {
    const evs: MvccEvent[] = [];
    const end = revToBytes({ main: curRev + 1, sub: 0 });
    const c = this.s.batch.bucket(KEY_BUCKET).cursor();
    for (let e = c.seek(revToBytes({ main: minRev, sub: 0 })); e !== null; e = c.next()) {
      const [k, v] = e;
      if (Buffer.compare(k, end) >= 0) break;
      if (v === null) continue;
      const kv = decodeKeyValue(v);
      if (!group.contains(kv.key)) continue;
      const owned = decodeKeyValue(v.slice());
      if (isTombstone(k)) {
        owned.modRevision = bytesToRev(k).main;
        evs.push({ type: EVENT_DELETE, kv: owned });
      } else evs.push({ type: EVENT_PUT, kv: owned });
    }
    return evs;
  }

  /** Number of watchers waiting as victims (for tests and metrics). */
  get victimCount(): number {
    let n = 0;
    for (const wb of this.victims) n += wb.size;
    return n;
  }

  close(): void {
    this.closed = true;
    if (this.syncTimer !== undefined) clearTimeout(this.syncTimer);
    if (this.victimTimer !== undefined) clearTimeout(this.victimTimer);
  }
}
