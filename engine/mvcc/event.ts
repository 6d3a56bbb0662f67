// mvccpb.Event {type=1 (PUT=0, DELETE=1), kv=2, prev_kv=3}: what watchers receive. Codec byte-equal to
// gogo's Marshal in etcd 3.4: type omitted when PUT; kv / prev_kv emitted whenever present (even if the
// embedded KeyValue encodes to zero bytes) and omitted when absent.

import { type Cursor, cursor, ProtoError, readInt64, readLengthDelimited, readTag, sizeVarint, skipField, writeVarint } from "../bytes/protowire.ts";
import { type KeyValue, keyValueSize, readKeyValue, writeKeyValue } from "./key_value.ts";

export const EVENT_PUT = 0;
export const EVENT_DELETE = 1;
export type EventType = typeof EVENT_PUT | typeof EVENT_DELETE;

export interface MvccEvent {
  type: EventType;
  kv?: KeyValue;
  prevKv?: KeyValue;
}

const TAG_TYPE = 0x08;
const TAG_KV = 0x12;
const TAG_PREV_KV = 0x1a;

function sizeMessageField(kv: KeyValue | undefined): number {
  if (kv === undefined) return 0;
  const n = keyValueSize(kv);
  return 1 + sizeVarint(n) + n;
}

function writeMessageField(buf: Uint8Array, pos: number, tag: number, kv: KeyValue | undefined): number {
  if (kv === undefined) return pos;
  buf[pos] = tag;
  pos = writeVarint(buf, pos + 1, keyValueSize(kv));
  return writeKeyValue(buf, pos, kv);
}

export function eventSize(ev: MvccEvent): number {
  return (ev.type !== 0 ? 1 + sizeVarint(ev.type) : 0) + sizeMessageField(ev.kv) + sizeMessageField(ev.prevKv);
}

/** ev as protobuf bytes, identical to etcd's Event.Marshal(). */
export function encodeEvent(ev: MvccEvent): Uint8Array {
  const buf = new Uint8Array(eventSize(ev));
  let pos = 0;
  if (ev.type !== 0) {
    buf[pos] = TAG_TYPE;
    pos = writeVarint(buf, pos + 1, ev.type);
  }
  pos = writeMessageField(buf, pos, TAG_KV, ev.kv);
  writeMessageField(buf, pos, TAG_PREV_KV, ev.prevKv);
  return buf;
}

function readEmbedded(c: Cursor): KeyValue {
  const start = readLengthDelimited(c);
  return readKeyValue(cursor(c.buf, start, c.pos));
}

/** Decodes an Event; kv / prev_kv alias `bytes`. Unknown enum values are rejected. */
export function decodeEvent(bytes: Uint8Array): MvccEvent {
  const c = cursor(bytes);
  const ev: MvccEvent = { type: EVENT_PUT };
  while (c.pos < c.end) {
    const tag = readTag(c);
    if (tag === TAG_TYPE) {
      const t = readInt64(c);
      if (t !== EVENT_PUT && t !== EVENT_DELETE) throw new ProtoError(`mvccpb: unknown event type ${t}`);
      ev.type = t;
    } else if (tag === TAG_KV) ev.kv = readEmbedded(c);
    else if (tag === TAG_PREV_KV) ev.prevKv = readEmbedded(c);
    else if (tag >>> 3 === 0) throw new ProtoError("proto: illegal field number 0");
    else skipField(c, tag & 7);
  }
  return ev;
}
