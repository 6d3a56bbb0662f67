// The Watch stream's hot path, for fan-out: one revision's events go to every watcher of the key, so each
// mvcc event becomes one wire Event message shared by all of them (eventToWire caches it), whose bytes are
// encoded once (eventBytes); a WatchResponse is then its small per-watcher fields written by hand around those
// cached bytes (registered as the gRPC fast encoder for WatchResponse).
// Invariants: output is byte-identical to toBinary(WatchResponseSchema, msg) (tests/rpc/services/watch_encode
// test); the caches are WeakMaps, so an event's wire forms live exactly as long as the event does.
import { create, toBinary } from "@bufbuild/protobuf";
import { type ResponseHeader, type WatchResponse, WatchResponseSchema } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type Event, EventSchema } from "../gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { bytesFieldSize, headerField, putBytesField, putFlag, putVarintField, varintSize } from "./wire_fields.ts";
import { encodeEvent, type MvccEvent } from "../../engine/mvcc/event.ts";
import { kvToWire } from "../../engine/server/kv_convert.ts";
import { registerFastEncoder } from "../grpc/fast_encoders.ts";

const wireEvents = new WeakMap<MvccEvent, Event>();
const encodedEvents = new WeakMap<Event, Uint8Array>();

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
    encodedEvents.set(e, encodeEvent(ev));
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

let lastEvents: Event[] | undefined;
let lastEventsField = new Uint8Array(0);

/** Field 11 repeated over the events, tags included; the last list's bytes are reused (see eventsToWire). */
function eventsField(events: Event[]): Uint8Array {
  if (events === lastEvents) return lastEventsField;
  const parts = events.map(eventBytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + bytesFieldSize(p.length), 0));
  let pos = 0;
  for (const p of parts) pos = putBytesField(out, pos, 11, p);
  lastEvents = events;
  lastEventsField = out;
  return out;
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
