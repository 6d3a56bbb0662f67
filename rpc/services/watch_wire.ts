// Watch responses on the wire (etcd v3rpc/watch.go sendLoop + sendFragments): an mvcc WatchResponse becomes a
// WatchResponse message (header at the response's revision, `canceled` when it reports a compaction), and a
// large one is split by sendFragments when the watcher asked for fragment=true.
// Invariants: fragments keep the events' order; every fragment but the last has fragment=true; a fragment
// holds at least one event, and more than one only while its encoded size stays under the limit.
import { create, toBinary } from "@bufbuild/protobuf";
import { type ResponseHeader, type WatchResponse, WatchResponseSchema } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type Event, EventSchema } from "../gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { WatchResponse as MvccWatchResponse } from "../../engine/mvcc/watcher.ts";
import { eventsToWire } from "./watch_encode.ts";

/** grpcOverheadBytes in etcd's v3rpc/grpc.go: sendFragments' limit is max-request-bytes plus this. */
export const GRPC_OVERHEAD_BYTES = 512 * 1024;

/** sendLoop's conversion: a compaction response is also the watcher's cancellation (no cancel_reason in 3.4). */
export function watchResponseToWire(r: MvccWatchResponse, header: ResponseHeader): WatchResponse {
  // A complete message written out (what create() would build, without its reflection: this runs per watcher).
  return {
    $typeName: "etcdserverpb.WatchResponse",
    header,
    watchId: BigInt(r.watchId),
    created: false,
    canceled: r.compactRevision !== 0,
    compactRevision: BigInt(r.compactRevision),
    cancelReason: "",
    fragment: false,
    events: eventsToWire(r.events),
  };
}

const varintSize = (n: number) => {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
};

/** Bytes an event adds to a WatchResponse (field 11, length-delimited). */
const eventFieldSize = (ev: Event) => {
  const n = toBinary(EventSchema, ev).length;
  return 1 + varintSize(n) + n;
};

/** etcd sendFragments: the responses to send for wr, split when it is at least maxBytes and has ≥ 2 events. */
export function fragments(wr: WatchResponse, maxBytes: number): WatchResponse[] {
  if (wr.events.length < 2 || toBinary(WatchResponseSchema, wr).length < maxBytes) return [wr];
  const sizes = wr.events.map(eventFieldSize);
  const base = toBinary(WatchResponseSchema, create(WatchResponseSchema, { ...wr, events: [], fragment: true })).length;
  const out: WatchResponse[] = [];
  let idx = 0;
  while (idx < wr.events.length) {
    const start = idx;
    let size = base;
    for (; idx < wr.events.length; idx++) {
      size += sizes[idx]!;
      if (idx > start && size >= maxBytes) break;
    }
    out.push(create(WatchResponseSchema, { ...wr, events: wr.events.slice(start, idx), fragment: idx < wr.events.length }));
  }
  return out;
}
