// A watcher (etcd mvcc/watcher.go + watchable_store.go `watcher`): a key or range, the next revision it
// accepts (minRev), its filters, and the stream it sends responses to. send() applies the filters and
// reports false when the stream is full (the caller then makes the watcher a victim and retries later).
// Ranges: end undefined = the single key; [0x00] = every key ≥ key; else [key, end).
// Invariant: minRev - 1 is the revision up to which the watcher has seen (or been sent) every event.

import { EVENT_DELETE, EVENT_PUT, type MvccEvent } from "./event.ts";
import { byteKey, compareBytes } from "../bytes/compare.ts";
import { isOpenEndedRange } from "./tree_index.ts";

export interface WatchResponse {
  watchId: number;
  /** Events in revision order; empty for a progress notification or a compaction cancel. */
  events: MvccEvent[];
  /** The store revision the response reflects (etcd WatchResponse.Revision). */
  revision: number;
  /** Set when the watcher was cancelled because its start revision was compacted. */
  compactRevision: number;
}

/** Where a watcher's responses go (a WatchStream). */
export interface WatchSink {
  /** Queues resp; false when full (never blocks). */
  offer(resp: WatchResponse): boolean;
}

export interface WatchFilters {
  /** Drop PUT events (etcd WatchCreateRequest filter NOPUT). */
  noPut?: boolean;
  /** Drop DELETE events (filter NODELETE). */
  noDelete?: boolean;
}

export class Watcher {
  /** Set while the watcher waits in a victim batch. */
  victim = false;
  /** Set once cancelled for compaction. */
  compacted = false;
  /** Cleared on cancel; a cancelled watcher sends nothing. */
  active = true;

  constructor(
    readonly id: number,
    readonly key: Uint8Array,
    readonly end: Uint8Array | undefined,
    public minRev: number,
    readonly sink: WatchSink,
    readonly filters: WatchFilters,
    readonly prevKv: boolean,
  ) {}

  get isRange(): boolean {
    return this.end !== undefined;
  }

  private keyIdCache: string | undefined;

  /** The key as a Map key (byteKey), made once: watchers move between groups on every victim round. */
  get keyId(): string {
    return (this.keyIdCache ??= byteKey(this.key));
  }

  /** True when the watcher's range holds key. */
  covers(key: Uint8Array): boolean {
    if (this.end === undefined) return compareBytes(this.key, key) === 0;
    return compareBytes(key, this.key) >= 0 && (isOpenEndedRange(this.end) || compareBytes(key, this.end) < 0);
  }

  private keeps(ev: MvccEvent): boolean {
    return !((this.filters.noPut && ev.type === EVENT_PUT) || (this.filters.noDelete && ev.type === EVENT_DELETE));
  }

  /** etcd watcher.send: filters, then offers to the sink; an all-filtered event response counts as sent. */
  send(resp: WatchResponse): boolean {
    if (!this.active) return true;
    const progress = resp.events.length === 0;
    if (!progress && (this.filters.noPut || this.filters.noDelete)) {
      resp = { ...resp, events: resp.events.filter((ev) => this.keeps(ev)) };
      if (resp.events.length === 0) return true;
    }
    return this.sink.offer(resp);
  }
}
