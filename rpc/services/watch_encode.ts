// The Watch stream's hot path, for fan-out: one revision's events go to every watcher of the key, so each
// mvcc event becomes one wire Event message shared by all of them (eventToWire caches it), whose bytes are
// encoded once (eventBytes); a WatchResponse is then its small per-watcher fields written by hand around those
// cached bytes (registered as the gRPC fast encoder for WatchResponse). frameMvccWatchResponse goes one step
// further for the native gRPC path: an mvcc response to bytes in the stream's buffer, no wire message made at all.
// Invariants: output is byte-identical to toBinary(WatchResponseSchema, msg) (tests/rpc/services/watch_encode
// test); the caches are WeakMaps, so an event's wire forms live exactly as long as the event does.
import { create, toBinary } from "@bufbuild/protobuf";
import { type ResponseHeader, type WatchResponse, WatchResponseSchema } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type Event, EventSchema } from "../gen/etcd/mvcc/mvccpb/kv_pb.ts";
import {
  bytesFieldSize, headerField, numberFieldSize, putBytesField, putFlag, putNumberField, putVarintField, varintSize,
} from "./wire_fields.ts";
import { encodeEvent, type MvccEvent } from "../../engine/mvcc/event.ts";
import type { WatchResponse as MvccWatchResponse } from "../../engine/mvcc/watcher.ts";
import { kvToWire } from "../../engine/server/kv_convert.ts";
import { registerFastEncoder } from "../grpc/fast_encoders.ts";
import type { FrameWriter } from "../grpc/pipe.ts";

const wireEvents = new WeakMap<MvccEvent, Event>();
const encodedEvents = new WeakMap<Event, Uint8Array>();
const mvccEventBytes = new WeakMap<MvccEvent, Uint8Array>();

/** An mvcc event's protobuf bytes (the mvcc event codec: etcd's own encoding, which is also toBinary's), once. */
function bytesOfEvent(ev: MvccEvent): Uint8Array {
  let b = mvccEventBytes.get(ev);
  if (b === undefined) mvccEventBytes.set(ev, (b = encodeEvent(ev)));
  return b;
}

/**
 * The wire Event of an mvcc event; the same object for every watcher that receives it. Its bytes come from the
 * mvcc event codec (engine/mvcc/event.ts, etcd's own encoding, which is also toBinary's).
 */
export function eventToWire(ev: MvccEvent): Event {
  let e = wireEvents.get(ev);
  if (e === undefined) {
    e = create(EventSchema, {
      type: ev.type,
      kv: ev.kv === undefined ? undefined : kvToWire(ev.kv),
      prevKv: ev.prevKv === undefined ? undefined : kvToWire(ev.prevKv),
    });
    wireEvents.set(ev, e);
    encodedEvents.set(e, bytesOfEvent(ev));
  }
  return e;
}

let lastMvcc: MvccEvent[] = [];
let lastWire: Event[] = [];

/**
 * The wire events of one watcher's response. Every watcher of a key gets a list holding the same mvcc events:
 * the same wire list is returned for it, so the encoder below can reuse its bytes by identity.
 */
export function eventsToWire(evs: MvccEvent[]): Event[] {
  if (evs.length === lastMvcc.length && evs.every((e, i) => e === lastMvcc[i])) return lastWire;
  lastMvcc = evs;
  lastWire = evs.map(eventToWire);
  return lastWire;
}

/** The protobuf bytes of a wire Event, encoded once per Event object (eventToWire's events come encoded). */
function eventBytes(e: Event): Uint8Array {
  let b = encodedEvents.get(e);
  if (b === undefined) {
    b = toBinary(EventSchema, e);
    encodedEvents.set(e, b);
  }
  return b;
}

const utf8 = new TextEncoder();

/** Field 11 (events) repeated over encoded events, tags included. */
function eventsFieldOf(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + bytesFieldSize(p.length), 0));
  let pos = 0;
  for (const p of parts) pos = putBytesField(out, pos, 11, p);
  return out;
}

let lastEvents: Event[] | undefined;
let lastEventsField: Uint8Array = new Uint8Array(0);

/** Field 11 over wire events; the last list's bytes are reused (see eventsToWire). */
function eventsField(events: Event[]): Uint8Array {
  if (events !== lastEvents) {
    lastEventsField = eventsFieldOf(events.map(eventBytes));
    lastEvents = events;
  }
  return lastEventsField;
}

let lastMvccEvents: MvccEvent[] = [];
let lastMvccField: Uint8Array = new Uint8Array(0);

/** Field 11 over mvcc events; the same list (or one holding the same events) reuses the last bytes. */
function mvccEventsField(evs: MvccEvent[]): Uint8Array {
  const last = lastMvccEvents;
  if (evs.length !== last.length || (evs !== last && !evs.every((e, i) => e === last[i]))) {
    lastMvccField = eventsFieldOf(evs.map(bytesOfEvent));
    lastMvccEvents = evs;
  }
  return lastMvccField;
}

/** Size of the response body after its header and before its events: watch_id, canceled, compact_revision. */
const middleSize = (r: MvccWatchResponse) => numberFieldSize(r.watchId) + (r.compactRevision !== 0 ? 2 + numberFieldSize(r.compactRevision) : 0);

/** Writes header field h, r's own fields and events field ev at pos (the layout toBinary gives). */
function writeMvccWatchResponse(out: Uint8Array, pos: number, h: Uint8Array, r: MvccWatchResponse, ev: Uint8Array): void {
  out.set(h, pos);
  pos = putNumberField(out, pos + h.length, 2, r.watchId);
  // canceled: a compaction response is also the cancellation
  pos = putFlag(out, pos, 4, r.compactRevision !== 0);
  pos = putNumberField(out, pos, 5, r.compactRevision);
  out.set(ev, pos);
}

/**
 * The bytes of watchResponseToWire(r, header) (watch_wire.ts), straight from the mvcc response with no wire message
 * in between, as one message queued in `frames`: the fan-out path, one per watcher, all sharing the header and
 * events bytes.
 */
export function frameMvccWatchResponse(frames: FrameWriter, r: MvccWatchResponse, header: ResponseHeader): void {
  const h = headerField(header);
  const ev = mvccEventsField(r.events);
  const at = frames.reserve(h.length + middleSize(r) + ev.length);
  writeMvccWatchResponse(frames.buffer, at, h, r, ev);
}

/** WatchResponse {header 1, watch_id 2, created 3, canceled 4, compact_revision 5, cancel_reason 6, fragment 7, events 11}. */
export function encodeWatchResponse(r: WatchResponse): Uint8Array {
  // sized first, then written once into a buffer of exactly that size (no scratch copy: this runs per watcher)
  const header = r.header === undefined ? undefined : headerField(r.header);
  const reason = r.cancelReason === "" ? undefined : utf8.encode(r.cancelReason);
  const events = eventsField(r.events);
  const size = (header?.length ?? 0) + varintSize(r.watchId) + varintSize(r.compactRevision) +
    (r.created ? 2 : 0) + (r.canceled ? 2 : 0) + (r.fragment ? 2 : 0) + (reason === undefined ? 0 : bytesFieldSize(reason.length)) + events.length;
  const out = new Uint8Array(size);
  let pos = 0;
  if (header !== undefined) {
    out.set(header);
    pos = header.length;
  }
  pos = putVarintField(out, pos, 2, r.watchId);
  pos = putFlag(out, pos, 3, r.created);
  pos = putFlag(out, pos, 4, r.canceled);
  pos = putVarintField(out, pos, 5, r.compactRevision);
  if (reason !== undefined) pos = putBytesField(out, pos, 6, reason);
  pos = putFlag(out, pos, 7, r.fragment);
  out.set(events, pos);
  return out;
}

registerFastEncoder(WatchResponseSchema, encodeWatchResponse);
