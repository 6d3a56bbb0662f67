// One Watch gRPC stream (etcd v3rpc/watch.go serverWatchStream). recv() handles the client's requests:
// create (key "" = "\0", range_end "\0" = every key ≥ key, start_revision 0 = from the next write, watch_id 0 =
// the next free id, filters, prev_kv, progress_notify, fragment), cancel and progress; their answers go to the
// control queue. send() is the send loop: it yields control responses, the mvcc WatchStream's responses
// (events, compaction cancels, progress) and runs the progress-notify ticker.
// Invariants (as etcd's): a watcher's responses are held back until its `created` response is sent and dropped
// once its `canceled` one is; create failures are canceled responses (watch_id -1, cancel_reason = the mvcc
// error), not stream errors; a cancel of an unknown id is ignored; the stream outlives the client's half-close
// (etcd's recvLoop returns nil on EOF and the stream stays until the client goes); stop() ends send().
import { create } from "@bufbuild/protobuf";
import {
  type WatchCancelRequest, type WatchCreateRequest, WatchCreateRequest_FilterType as FilterType, type WatchRequest,
  type WatchResponse, WatchResponseSchema,
} from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { WatchError } from "../../engine/mvcc/errors.ts";
import type { WatchStream } from "../../engine/mvcc/watch_stream.ts";
import type { WatchResponse as MvccWatchResponse } from "../../engine/mvcc/watcher.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { fragments, watchResponseToWire } from "./watch_wire.ts";

/** clientv3.InvalidWatchID: create failures and progress responses carry it. */
const INVALID_WATCH_ID = -1;

export class WatchSession {
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
  private ticker: ReturnType<typeof setInterval> | undefined;
  private ticked = false;
  private stopped = false;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly server: EtcdServerApi,
    private readonly maxFragmentBytes: number,
    progressIntervalMs: number,
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

  /** etcd sendLoop: every response for the client, in order, until stop() or the mvcc stream closes. */
  async *send(): AsyncGenerator<WatchResponse> {
    let next: Promise<{ r: MvccWatchResponse | undefined }> | undefined;
    for (;;) {
      if (this.stopped) return;
      if (this.failure !== undefined) throw this.failure.error;
      const c = this.ctrl.shift();
      if (c !== undefined) {
        yield* this.sendCtrl(c);
        continue;
      }
      if (this.ticked) {
        this.ticked = false;
        this.tick();
        continue;
      }
      if (next === undefined) {
        // Responses already queued (a fan-out queues one per watcher) are taken without a promise each.
        const queued = this.ws.poll();
        if (queued !== undefined) {
          yield* this.sendWatchResponse(queued);
          continue;
        }
        next = this.ws.next().then((r) => ({ r }));
      }
      const woke = new Promise<undefined>((resolve) => (this.wake = () => resolve(undefined)));
      const got = await Promise.race([next, woke]);
      if (got === undefined) continue;
      next = undefined;
      if (got.r === undefined) return;
      yield* this.sendWatchResponse(got.r);
    }
  }

  private *sendCtrl(c: WatchResponse): Generator<WatchResponse> {
    yield c;
    const id = Number(c.watchId);
    if (c.canceled && id !== INVALID_WATCH_ID) {
      this.ids.delete(id);
      return;
    }
    if (!c.created) return;
    this.ids.add(id);
    const held = this.pending.get(id) ?? [];
    this.pending.delete(id);
    yield* held;
  }

  private *sendWatchResponse(r: MvccWatchResponse): Generator<WatchResponse> {
    const wr = watchResponseToWire(r, this.server.header(r.revision));
    if (!this.ids.has(r.watchId)) {
      const held = this.pending.get(r.watchId);
      if (held === undefined) this.pending.set(r.watchId, [wr]);
      else held.push(wr);
      return;
    }
    if (this.fragment.has(r.watchId)) yield* fragments(wr, this.maxFragmentBytes);
    else yield wr;
    // a response with events stands in for the next progress notification
    if (r.events.length > 0 && this.progress.get(r.watchId)) this.progress.set(r.watchId, false);
  }

  /** The progress ticker: watchers that got no events since the last tick get a progress notification. */
  private tick(): void {
    for (const [id, due] of this.progress) {
      if (due) this.ws.requestProgress(id);
      this.progress.set(id, true);
    }
  }

  /** Ends send() and closes the mvcc stream (its watchers are cancelled). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.ticker);
    this.ticker = undefined;
    this.ws.close();
    this.signal();
  }
}
