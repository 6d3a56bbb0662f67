// The Watch stream's hot path, for fan-out: one revision's events go to every watcher of the key, so each
// mvcc event becomes one wire Event message shared by all of them (eventToWire caches it), whose bytes are
// encoded once (eventBytes); a WatchResponse is then its small per-watcher fields written by hand around those
// cached bytes (registered as the gRPC fast encoder for WatchResponse).
// Invariants: output is byte-identical to toBinary(WatchResponseSchema, msg) (tests/rpc/services/watch_encode
// test); the caches are WeakMaps, so an event's wire forms live exactly as long as the event does.
import { create, toBinary } from "@bufbuild/protobuf";
import { type ResponseHeader, type WatchResponse, WatchResponseSchema } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type Event, EventSchema } from "../gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { ByteBuffer } from "../../engine/bytes/byte-buffer.ts";
import { appendBytesField, appendTag, appendVarint, appendVarintBig, WIRE_VARINT } from "../../engine/bytes/protowire.ts";
import type { MvccEvent } from "../../engine/mvcc/event.ts";
import { kvToWire } from "../../engine/server/kv_convert.ts";
import { registerFastEncoder } from "../grpc/fast_encoders.ts";

const wireEvents = new WeakMap<MvccEvent, Event>();
const encodedEvents = new WeakMap<Event, Uint8Array>();

/** The wire Event of an mvcc event; the same object for every watcher that receives it. */
export function eventToWire(ev: MvccEvent): Event {
  let e = wireEvents.get(ev);
  if (e === undefined) {
    e = create(EventSchema, {
      type: ev.type,
      kv: ev.kv === undefined ? undefined : kvToWire(ev.kv),
      prevKv: ev.prevKv === undefined ? undefined : kvToWire(ev.prevKv),
    });
    wireEvents.set(ev, e);
  }
  return e;
}

/** The protobuf bytes of a wire Event, encoded once per Event object. */
function eventBytes(e: Event): Uint8Array {
  let b = encodedEvents.get(e);
  if (b === undefined) {
    b = toBinary(EventSchema, e);
    encodedEvents.set(e, b);
  }
  return b;
}

function uint64Field(buf: ByteBuffer, field: number, v: bigint): void {
  if (v === 0n) return;
  appendTag(buf, field, WIRE_VARINT);
  appendVarintBig(buf, v);
}

function boolField(buf: ByteBuffer, field: number, v: boolean): void {
  if (!v) return;
  appendTag(buf, field, WIRE_VARINT);
  appendVarint(buf, 1);
}

const utf8 = new TextEncoder();
const headerBuf = new ByteBuffer(64);
/** The last header encoded (field 1 of WatchResponse, tag and length included): a fan-out repeats it. */
let lastHeader: { c: bigint; m: bigint; r: bigint; t: bigint; bytes: Uint8Array } | undefined;

function headerField(h: ResponseHeader): Uint8Array {
  const l = lastHeader;
  if (l !== undefined && l.r === h.revision && l.t === h.raftTerm && l.c === h.clusterId && l.m === h.memberId) return l.bytes;
  const b = headerBuf;
  b.reset();
  uint64Field(b, 1, h.clusterId);
  uint64Field(b, 2, h.memberId);
  uint64Field(b, 3, h.revision);
  uint64Field(b, 4, h.raftTerm);
  const body = b.bytes.slice(0, b.length);
  b.reset();
  appendBytesField(b, 1, body);
  const bytes = b.bytes.slice(0, b.length);
  lastHeader = { c: h.clusterId, m: h.memberId, r: h.revision, t: h.raftTerm, bytes };
  return bytes;
}

const scratch = new ByteBuffer(64 * 1024);

/** WatchResponse {header 1, watch_id 2, created 3, canceled 4, compact_revision 5, cancel_reason 6, fragment 7, events 11}. */
export function encodeWatchResponse(r: WatchResponse): Uint8Array {
  const b = scratch;
  b.reset();
  if (r.header !== undefined) b.raw(headerField(r.header));
  uint64Field(b, 2, r.watchId);
  boolField(b, 3, r.created);
  boolField(b, 4, r.canceled);
  uint64Field(b, 5, r.compactRevision);
  if (r.cancelReason !== "") appendBytesField(b, 6, utf8.encode(r.cancelReason));
  boolField(b, 7, r.fragment);
  for (const e of r.events) appendBytesField(b, 11, eventBytes(e));
  return b.bytes.slice(0, b.length);
}

registerFastEncoder(WatchResponseSchema, encodeWatchResponse);
