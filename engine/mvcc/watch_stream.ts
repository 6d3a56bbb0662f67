// WatchStream (etcd mvcc/watcher.go watchStream + its buffered channel): a client's set of watchers sharing
// one bounded queue of responses. The store never waits on it: offer() fails when `capacity` responses are
// queued (etcd chanBufLen 128), and the watcher becomes a victim until the consumer drains the queue. The
// consumer pulls with next() (or for await). prev_kv is attached as responses are taken, by reading the
// key at modRevision - 1 (etcd does it in the gRPC send loop; a compacted previous revision is left out).
// Invariants: watch IDs are unique within the stream; responses reach the consumer in offer order (a consumer
// only takes one while the queue is empty); after close() nothing is queued and next() ends.

import { duplicateWatchId, emptyWatcherRange, watcherNotExist } from "./errors.ts";
import type { MvccEvent } from "./event.ts";
import type { KeyValue } from "./key_value.ts";
import { compareBytes } from "../bytes/compare.ts";
import { isOpenEndedRange } from "./tree_index.ts";
import type { Watchable } from "./watchable.ts";
import type { WatchFilters, Watcher, WatchResponse, WatchSink } from "./watcher.ts";

export interface WatchRequest {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  /** First revision to deliver; 0 = from the next write. */
  startRevision?: number;
  /** Watch ID to use; -1 or absent = next free one (etcd AutoWatchID 0 is the client's default). */
  watchId?: number;
  filters?: WatchFilters;
  prevKv?: boolean;
}

/** Reads the previous version of a key for prev_kv (the store's range at rev). */
export type PrevKvReader = (key: Uint8Array, rev: number) => KeyValue | undefined;

/** Takes offered responses directly; take() false = not now (the response is queued instead). */
export interface WatchConsumer {
  take(resp: WatchResponse): boolean;
}

/** etcd chanBufLen. */
export const DEFAULT_WATCH_QUEUE = 128;

export class WatchStream implements WatchSink, AsyncIterable<WatchResponse> {
  private readonly queue: WatchResponse[] = [];
  private readonly waiters: ((r: WatchResponse | undefined) => void)[] = [];
  private readonly watchers = new Map<number, Watcher>();
  private nextId = 0;
  private closed = false;
  private consumer: WatchConsumer | undefined;
  /** Watchers of this stream that want prev_kv (none: responses pass through untouched). */
  private prevKvWatchers = 0;

  constructor(
    private readonly watchable: Watchable,
    private readonly prevKvOf: PrevKvReader,
    readonly capacity = DEFAULT_WATCH_QUEUE,
  ) {}

  /** Creates a watcher (etcd watchStream.Watch); returns its ID. */
  watch(req: WatchRequest): number {
    const end = req.rangeEnd !== undefined && req.rangeEnd.length > 0 ? req.rangeEnd : undefined;
    if (end !== undefined && !isOpenEndedRange(end) && compareBytes(req.key, end) >= 0) throw emptyWatcherRange();
    if (this.closed) throw emptyWatcherRange();
    let id = req.watchId ?? -1;
    if (id < 0) {
      while (this.watchers.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    } else if (this.watchers.has(id)) throw duplicateWatchId();
    const w = this.watchable.watch(id, req.key, end, req.startRevision ?? 0, this, req.filters ?? {}, req.prevKv ?? false);
    this.watchers.set(id, w);
    if (w.prevKv) this.prevKvWatchers++;
    return id;
  }

  cancel(id: number): void {
    const w = this.watchers.get(id);
    if (w === undefined || this.closed) throw watcherNotExist();
    this.watchable.cancel(w);
    this.watchers.delete(id);
    if (w.prevKv) this.prevKvWatchers--;
  }

  /** A progress notification for a synced watcher (etcd RequestProgress); nothing if it is behind. */
  requestProgress(id: number): void {
    const w = this.watchers.get(id);
    if (w !== undefined) this.watchable.progress(w);
  }

  /** Sets (or clears) the consumer that takes responses as they are offered. */
  setConsumer(c: WatchConsumer | undefined): void {
    this.consumer = c;
  }

  offer(resp: WatchResponse): boolean {
    if (this.closed) return true;
    if (this.consumer !== undefined && this.queue.length === 0 && this.consumer.take(this.withPrevKv(resp))) return true;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter(this.withPrevKv(resp));
      return true;
    }
    if (this.queue.length >= this.capacity) return false;
    this.queue.push(resp);
    return true;
  }

  /** Responses waiting in the queue. */
  get pending(): number {
    return this.queue.length;
  }

  /** The next response without waiting, or undefined if none is queued. */
  poll(): WatchResponse | undefined {
    const r = this.queue.shift();
    if (r === undefined) return undefined;
    this.watchable.kickVictims();
    return this.withPrevKv(r);
  }

  /** The next response; undefined once the stream is closed. */
  next(): Promise<WatchResponse | undefined> {
    const r = this.poll();
    if (r !== undefined || this.closed) return Promise.resolve(r);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    for (;;) {
      const r = await this.next();
      if (r === undefined) return;
      yield r;
    }
  }

  private withPrevKv(resp: WatchResponse): WatchResponse {
    if (this.prevKvWatchers === 0) return resp;
    const w = this.watchers.get(resp.watchId);
    if (w === undefined || !w.prevKv || resp.events.length === 0) return resp;
    const events: MvccEvent[] = resp.events.map((ev) => {
      const prevKv = this.prevKvOf(ev.kv!.key, ev.kv!.modRevision - 1);
      return prevKv === undefined ? ev : { ...ev, prevKv };
    });
    return { ...resp, events };
  }

  /** Cancels every watcher and ends next(). */
  close(): void {
    if (this.closed) return;
    for (const w of this.watchers.values()) this.watchable.cancel(w);
    this.watchers.clear();
    this.closed = true;
    this.consumer = undefined;
    this.queue.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
