// TEST-ONLY raw Watch client for service tests: one bidi gRPC stream (connect-node) the test feeds request by
// request, a recv() with a deadline, collection of everything that arrives until the stream is quiet, and a
// comparable summary of responses (cluster_id, member_id, raft_term masked; keys and values as text).
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  Watch, type WatchCreateRequestSchema, type WatchRequest, WatchRequestSchema, type WatchResponse,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";

export const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");

export type CreateInit = MessageInitShape<typeof WatchCreateRequestSchema>;

export function openWatch(baseUrl: string) {
  const pending: WatchRequest[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const feed = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (pending.length) yield pending.shift()!;
        else if (ended) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
  const abort = new AbortController();
  const it = createClient(Watch, createGrpcTransport({ baseUrl })).watch(feed, { signal: abort.signal })[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<WatchResponse>> | undefined;
  const send = (r: WatchRequest) => {
    pending.push(r);
    wake?.();
  };
  return {
    create: (c: CreateInit) => send(create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: c } })),
    cancel: (watchId: bigint) => send(create(WatchRequestSchema, { requestUnion: { case: "cancelRequest", value: { watchId } } })),
    progress: () => send(create(WatchRequestSchema, { requestUnion: { case: "progressRequest", value: {} } })),
    /** Half-closes the request stream. */
    end() {
      ended = true;
      wake?.();
    },
    /** The next response, "timeout" if none within ms, or "end" when the stream ended. */
    async recv(ms = 5000): Promise<WatchResponse | "timeout" | "end"> {
      next ??= it.next();
      let timer: Timer | undefined;
      const late = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms)));
      const got = await Promise.race([next, late]);
      clearTimeout(timer);
      if (got === "timeout") return got;
      next = undefined;
      return got.done ? "end" : got.value;
    },
    /** Every response until none comes for quietMs. */
    async drain(quietMs = 300): Promise<WatchResponse[]> {
      const out: WatchResponse[] = [];
      for (let r = await this.recv(quietMs); typeof r !== "string"; r = await this.recv(quietMs)) out.push(r);
      return out;
    },
    close: () => abort.abort(),
  };
}
export type WatchClient = ReturnType<typeof openWatch>;

/** A response as comparable JSON-safe data, cluster-specific header fields left out. */
export function summary(r: WatchResponse) {
  return {
    rev: Number(r.header?.revision ?? -1), id: Number(r.watchId), created: r.created, canceled: r.canceled,
    reason: r.cancelReason, compact: Number(r.compactRevision), fragment: r.fragment,
    events: r.events.map((e) => [
      e.type, text(e.kv?.key ?? new Uint8Array()), text(e.kv?.value ?? new Uint8Array()), Number(e.kv?.modRevision ?? 0),
      ...(e.prevKv ? [text(e.prevKv.value)] : []),
    ]),
  };
}

/** Responses grouped by watch id, in order within each id (etcd orders watchers of one write arbitrarily). */
export function byWatchId(rs: WatchResponse[]): Record<string, ReturnType<typeof summary>[]> {
  const out: Record<string, ReturnType<typeof summary>[]> = {};
  for (const r of rs) (out[String(r.watchId)] ??= []).push(summary(r));
  return out;
}
