// One Watch gRPC stream (etcd v3rpc/watch.go serverWatchStream). recv() handles the client's requests:
// create (key "" = "\0", range_end "\0" = every key ≥ key, start_revision 0 = from the next write, watch_id 0 =
// the next free id, filters, prev_kv, progress_notify, fragment), cancel and progress; their answers go to the
// control queue. run() is the send loop: it writes control responses, the mvcc WatchStream's responses
// (events, compaction cancels, progress) to a MessageSink and runs the progress-notify ticker.
// Invariants (as etcd's): a watcher's responses are held back until its `created` response is sent and dropped
// once its `canceled` one is; create failures are canceled responses (watch_id -1, cancel_reason = the mvcc
// error), not stream errors; a cancel of an unknown id is ignored; the stream outlives the client's half-close
// (etcd's recvLoop returns nil on EOF and the stream stays until the client goes); stop() ends run().
import { create } from "@bufbuild/protobuf";
import {
  type WatchCancelRequest, type WatchCreateRequest, WatchCreateRequest_FilterType as FilterType, type WatchRequest,
  type WatchResponse, WatchResponseSchema,
} from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { WatchError } from "../../engine/mvcc/errors.ts";
import type { WatchConsumer, WatchStream } from "../../engine/mvcc/watch_stream.ts";
import type { WatchResponse as MvccWatchResponse } from "../../engine/mvcc/watcher.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import type { MessageSink } from "../grpc/pipe.ts";
import { frameMvccWatchResponse } from "./watch_encode.ts";
import { grpcErrorString, tokenRefusal } from "./auth_token.ts";
import { fragments, watchResponseToWire } from "./watch_wire.ts";

/** clientv3.InvalidWatchID: create failures and progress responses carry it. */
const INVALID_WATCH_ID = -1;

export class WatchSession implements WatchConsumer {
  private readonly ws: WatchStream;
  private readonly ctrl: WatchResponse[] = [];
  /** watch id → "send a progress notification at the next tick" (etcd sws.progress). */
  private readonly progress = new Map<number, boolean>();
  private readonly fragment = new Set<number>();
  /** Ids whose `created` was sent and `canceled` not yet (etcd sendLoop ids). */
  private readonly ids = new Set<number>();
  /** Responses of watchers not yet announced (etcd sendLoop pending). */
  private readonly pending = new Map<number, WatchResponse[]>();
  private wake: (() => void) | undefined;
  /** Where run() writes, while it runs. */
  private out: MessageSink<WatchResponse> | undefined;
  /** Set while `out` is full: settles when it can take more. */
  private full: Promise<void> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private ticked = false;
  private stopped = false;
  private failure: { error: unknown } | undefined;

  /** Aborted by stop(): ends waits made for this stream. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly server: EtcdServerApi,
    private readonly maxFragmentBytes: number,
    progressIntervalMs: number,
    /** The stream's auth token, if its requests carry one (see auth_token.ts). */
    private readonly token?: string,
  ) {
    this.ws = server.watchStream();
    this.ticker = setInterval(() => {
      this.ticked = true;
      this.signal();
    }, progressIntervalMs);
  }

  /** etcd recvLoop. A receive error ends the stream with that error; the end of requests does not. */
  async recv(requests: AsyncIterable<WatchRequest>): Promise<void> {
    try {
      for await (const req of requests) {
        if (this.stopped) return;
        if (this.token !== undefined && req.requestUnion.case === "createRequest") {
          // etcd's isWatchPermitted, in the receive loop: later requests wait for its answer
          const refusal = await tokenRefusal(this.token, this.server, this.stopping.signal);
          if (this.stopped) return;
          this.push({ header: this.server.header(), watchId: BigInt(INVALID_WATCH_ID), created: true, canceled: true, cancelReason: grpcErrorString(refusal) });
          continue;
        }
        this.handle(req);
      }
    } catch (error) {
      if (!this.stopped) this.failure = { error };
      this.signal();
    }
  }

  private handle(req: WatchRequest): void {
    const u = req.requestUnion;
    if (u.case === "createRequest") this.create(u.value);
    else if (u.case === "cancelRequest") this.cancel(u.value);
    else if (u.case === "progressRequest") this.push({ header: this.server.header(), watchId: BigInt(INVALID_WATCH_ID) });
  }

  private create(creq: WatchCreateRequest): void {
    const header = this.server.header();
    const wsrev = Number(header.revision);
    const key = creq.key.length === 0 ? new Uint8Array([0]) : creq.key;
    const start = Number(creq.startRevision);
    let id = INVALID_WATCH_ID;
    let reason: string | undefined;
    try {
      id = this.ws.watch({
        key,
        rangeEnd: creq.rangeEnd.length === 0 ? undefined : creq.rangeEnd,
        startRevision: start === 0 ? wsrev + 1 : start,
        watchId: creq.watchId === 0n ? undefined : Number(creq.watchId),
        filters: { noPut: creq.filters.includes(FilterType.NOPUT), noDelete: creq.filters.includes(FilterType.NODELETE) },
        prevKv: creq.prevKv,
      });
      if (creq.progressNotify) this.progress.set(id, true);
      if (creq.fragment) this.fragment.add(id);
    } catch (e) {
      if (!(e instanceof WatchError)) throw e;
      reason = e.message;
    }
    this.push({ header, watchId: BigInt(id), created: true, canceled: reason !== undefined, cancelReason: reason ?? "" });
  }

  private cancel(c: WatchCancelRequest): void {
    const id = Number(c.watchId);
    try {
      this.ws.cancel(id);
    } catch (e) {
      if (e instanceof WatchError) return;
      throw e;
    }
    this.push({ header: this.server.header(), watchId: c.watchId, canceled: true });
    this.progress.delete(id);
    this.fragment.delete(id);
  }

  private push(init: Parameters<typeof create<typeof WatchResponseSchema>>[1]): void {
    this.ctrl.push(create(WatchResponseSchema, init));
    this.signal();
  }

  private signal(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /**
   * etcd sendLoop: writes every response for the client to `out`, in order, until stop(), the mvcc stream's
   * end or out closing. Queued work is drained synchronously; while idle the session is the mvcc stream's
   * consumer, so a fan-out's responses are written from the store's notify call with no queue or promise between.
   * Waits whenever `out` is full; offers meanwhile queue in the mvcc stream (then victims, as etcd's full channel).
   */
  async run(out: MessageSink<WatchResponse>): Promise<void> {
    this.out = out;
    try {
      for (;;) {
        this.drain(out);
        if (this.stopped || out.closed) return;
        if (this.failure !== undefined) throw this.failure.error;
        const full = this.full;
        if (full !== undefined) {
          await full;
          this.full = undefined;
          continue;
        }
        const woke = new Promise<void>((resolve) => (this.wake = resolve));
        this.ws.setConsumer(this);
        await woke;
        this.ws.setConsumer(undefined);
      }
    } finally {
      this.ws.setConsumer(undefined);
      this.out = undefined;
    }
  }

  /** Control responses, ticks and queued responses, until none is left or `out` is full. */
  private drain(out: MessageSink<WatchResponse>): void {
    while (this.full === undefined && !this.stopped && !out.closed && this.failure === undefined) {
      const c = this.ctrl.shift();
      if (c !== undefined) {
        this.sendCtrl(c);
        continue;
      }
      if (this.ticked) {
        this.ticked = false;
        this.tick();
        continue;
      }
      const r = this.ws.poll();
      if (r === undefined) return;
      this.sendWatchResponse(r);
    }
  }

  /**
   * WatchConsumer: a response offered while the session is idle; refused when something must go first. Runs in
   * the store's notify, so a failure here ends this stream instead of reaching the store.
   */
  take(r: MvccWatchResponse): boolean {
    if (this.full !== undefined || this.ctrl.length > 0 || this.ticked || this.stopped || this.out === undefined || this.out.closed) return false;
    try {
      this.sendWatchResponse(r);
    } catch (error) {
      this.failure ??= { error };
    }
    if (this.full !== undefined || this.failure !== undefined) this.signal();
    return true;
  }

  private emit(wr: WatchResponse): void {
    const full = this.out!.write(wr);
    if (full !== undefined) this.full = full;
  }

  private sendCtrl(c: WatchResponse): void {
    this.emit(c);
    const id = Number(c.watchId);
    if (c.canceled && id !== INVALID_WATCH_ID) {
      this.ids.delete(id);
      return;
    }
    if (!c.created) return;
    this.ids.add(id);
    const held = this.pending.get(id) ?? [];
    this.pending.delete(id);
    for (const wr of held) this.emit(wr);
  }

  private sendWatchResponse(r: MvccWatchResponse): void {
    const id = r.watchId;
    const header = this.server.header(r.revision);
    const out = this.out!;
    if (!this.ids.has(id)) {
      const held = this.pending.get(id);
      const wr = watchResponseToWire(r, header);
      if (held === undefined) this.pending.set(id, [wr]);
      else held.push(wr);
    } else if (this.fragment.has(id)) {
      for (const f of fragments(watchResponseToWire(r, header), this.maxFragmentBytes)) this.emit(f);
    } else if (out.frames !== undefined) {
      frameMvccWatchResponse(out.frames, r, header);
      const full = out.frames.full;
      if (full !== undefined) this.full = full;
    } else {
      this.emit(watchResponseToWire(r, header));
    }
    // a response with events stands in for the next progress notification
    if (r.events.length > 0 && this.progress.get(id)) this.progress.set(id, false);
  }

  /** The progress ticker: watchers that got no events since the last tick get a progress notification. */
  private tick(): void {
    for (const [id, due] of this.progress) {
      if (due) this.ws.requestProgress(id);
      this.progress.set(id, true);
    }
  }

  /** Ends run() and closes the mvcc stream (its watchers are cancelled). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stopping.abort();
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.ws.close();
    this.signal();
  }
}
