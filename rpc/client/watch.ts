// watch(): one watcher on its own Watch stream. The create request goes out at once; the first response
// (`created`, with the store revision) settles `ready`; iterating pulls the following responses one at a
// time, so a consumer that stops reading leaves the backlog to the server's slow-watcher handling instead
// of buffering here. close() (or leaving the loop, or the caller's signal) aborts the stream.
// Remote streams that break (server restart, connection lost: the stream ends without a cancel, or fails
// Unavailable) are reopened, as clientv3 does, from the revision after the last event delivered, with
// backoff, until close(); events are neither lost nor repeated. In process, the stream ends only when the
// store closes, and so does the iteration.
// Invariants: responses are read by one reader at a time (ready first, then the iterator); a response
// `canceled` with compact_revision ends iteration with EtcdError("OutOfRange", compactRevision); after
// close() the iterator ends normally.
import { create } from "@bufbuild/protobuf";
import { type WatchCreateRequest, type WatchRequest, WatchRequestSchema, type WatchResponse } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { Channel } from "./channel.ts";
import { EtcdError, isTransient, toEtcdError } from "./errors.ts";
import { watchEvent } from "./results.ts";
import type { EtcdServices } from "./services.ts";
import type { Watch, WatchEvent } from "./types.ts";

const COMPACTED = "etcdserver: mvcc: required revision has been compacted";
const MAX_BACKOFF_MS = 2000;

/** One Watch stream: its requests, its responses, and how to abort it. */
interface Stream {
  abort: AbortController;
  requests: Channel<WatchRequest>;
  responses: AsyncIterator<WatchResponse>;
}

export class WatchCall implements Watch {
  readonly ready: Promise<number>;
  private stream: Stream;
  /** The revision to resume from: the one after the last event delivered. */
  private nextRevision: number;
  private iterated = false;
  private ended = false;

  /** `onClose` is told once, when the watch ends for any reason. */
  constructor(
    private readonly services: EtcdServices,
    private readonly createRequest: WatchCreateRequest,
    signal?: AbortSignal,
    private readonly onClose?: (w: WatchCall) => void,
  ) {
    this.nextRevision = Number(createRequest.startRevision);
    this.stream = this.open();
    this.ready = this.created().then((rev) => {
      if (this.nextRevision === 0) this.nextRevision = rev + 1;
      return rev;
    });
    this.ready.catch(() => undefined);
    if (signal?.aborted) this.close();
    else signal?.addEventListener("abort", () => this.close(), { once: true });
  }

  /** A new stream asking for the watch from nextRevision (or the request's own start). */
  private open(): Stream {
    const abort = new AbortController();
    const requests = new Channel<WatchRequest>();
    const req = this.nextRevision > 0 ? { ...this.createRequest, startRevision: BigInt(this.nextRevision) } : this.createRequest;
    requests.push(create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: req } }));
    const responses = this.services.watch.watch(requests, { signal: abort.signal })[Symbol.asyncIterator]();
    return { abort, requests, responses };
  }

  /** The next response; undefined once the stream ended (or was closed here). */
  private async nextResponse(): Promise<WatchResponse | undefined> {
    try {
      const r = await this.stream.responses.next();
      return r.done || this.ended ? undefined : r.value;
    } catch (e) {
      if (this.ended) return undefined;
      throw toEtcdError(e);
    }
  }

  /** Reads the stream's `created` answer; resolves with the store revision then. */
  private async created(): Promise<number> {
    const r = await this.nextResponse();
    if (r === undefined) {
      throw new EtcdError(this.ended ? "Canceled" : "Unavailable", this.ended ? "bunetcd: watch closed before the server created it" : "bunetcd: watch stream ended");
    }
    if (r.canceled) throw new EtcdError("InvalidArgument", r.cancelReason || "etcdserver: watch canceled");
    return Number(r.header?.revision ?? 0n);
  }

  /** Reopens a broken remote stream from nextRevision, retrying with backoff until it is created or closed. */
  private async reopen(): Promise<void> {
    for (let delay = 50; !this.ended; delay = Math.min(2 * delay, MAX_BACKOFF_MS)) {
      this.stream.abort.abort();
      this.stream = this.open();
      try {
        await this.created();
        return;
      } catch (e) {
        if (this.ended) return;
        if (!isTransient(e)) throw e;
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /** The next response of the watch, across reopened streams; undefined when it ends. */
  private async nextOfWatch(): Promise<WatchResponse | undefined> {
    for (;;) {
      let r: WatchResponse | undefined;
      try {
        r = await this.nextResponse();
      } catch (e) {
        if (!this.services.reconnect || !isTransient(e)) throw e;
      }
      if (r !== undefined || this.ended || !this.services.reconnect) return r;
      await this.reopen();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    if (this.iterated) throw new Error("bunetcd: a watch can be iterated only once");
    this.iterated = true;
    try {
      try {
        await this.ready;
      } catch (e) {
        if (this.ended) return;
        throw e;
      }
      for (;;) {
        const r = await this.nextOfWatch();
        if (r === undefined) return;
        if (r.canceled) {
          if (r.compactRevision > 0n) throw new EtcdError("OutOfRange", COMPACTED, Number(r.compactRevision));
          throw new EtcdError("Canceled", r.cancelReason || "etcdserver: watch canceled");
        }
        for (const ev of r.events) {
          this.nextRevision = Number(ev.kv!.modRevision) + 1;
          yield watchEvent(ev);
        }
      }
    } finally {
      this.close();
    }
  }

  get closed(): boolean {
    return this.ended;
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.requests.close();
    this.stream.abort.abort();
    this.onClose?.(this);
  }
}
