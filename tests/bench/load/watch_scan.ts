// A scan of etcdserverpb.WatchResponse for the watch fan-out generator: it reads only `created` (3) and each
// event's kv.mod_revision (events = 11, Event.kv = 2, KeyValue.mod_revision = 3), skipping everything else. Field
// numbers are those of etcd 3.4's rpc.proto/kv.proto. Written as plain loops over the bytes (no callbacks per
// field, no cursor objects): the generator reads a million of these per second and must not be the limit.
import { LEN, VARINT } from "./wire.ts";

/** Where the last readVarint stopped. */
let after = 0;

function readVarint(buf: Uint8Array, pos: number): number {
  let n = 0;
  let mul = 1;
  for (;;) {
    const b = buf[pos++]!;
    n += (b & 0x7f) * mul;
    if (b < 0x80) {
      after = pos;
      return n;
    }
    mul *= 128;
  }
}

/** The position after a field's value of wire type `wire` starting at pos (LEN: after its length prefix + bytes). */
function skipValue(buf: Uint8Array, pos: number, wire: number): number {
  if (wire === VARINT) return readVarint(buf, pos), after;
  if (wire === LEN) return readVarint(buf, pos) + after;
  if (wire === 1) return pos + 8;
  if (wire === 5) return pos + 4;
  throw new Error(`unsupported wire type ${wire}`);
}

/** Finds the first LEN field `field` of the message at buf[start, end); its value is buf[lenStart, lenEnd). */
let lenStart = 0;
let lenEnd = 0;
function findLen(buf: Uint8Array, start: number, end: number, field: number): boolean {
  let pos = start;
  while (pos < end) {
    const tag = readVarint(buf, pos);
    pos = after;
    if (tag === ((field << 3) | LEN)) {
      const len = readVarint(buf, pos);
      lenStart = after;
      lenEnd = after + len;
      return true;
    }
    pos = skipValue(buf, pos, tag & 7);
  }
  return false;
}

/** The first varint field `field` of the message at buf[start, end) (0, protobuf's default, when absent). */
function findVarint(buf: Uint8Array, start: number, end: number, field: number): number {
  let pos = start;
  while (pos < end) {
    const tag = readVarint(buf, pos);
    pos = after;
    if (tag === ((field << 3) | VARINT)) return readVarint(buf, pos);
    pos = skipValue(buf, pos, tag & 7);
  }
  return 0;
}

/** The mod_revision of the Event at buf[start, end) (0 if it has none). */
function eventRevision(buf: Uint8Array, start: number, end: number): number {
  return findLen(buf, start, end, 2) ? findVarint(buf, lenStart, lenEnd, 3) : 0;
}

const CREATED_TAG = (3 << 3) | VARINT;
const EVENT_TAG = (11 << 3) | LEN;

/** Scans one WatchResponse: calls onEvent(mod_revision) per event; true when it is a `created` reply. */
export function scanWatchResponse(msg: Uint8Array, onEvent: (modRevision: number) => void): boolean {
  let created = false;
  let pos = 0;
  const end = msg.length;
  while (pos < end) {
    const tag = readVarint(msg, pos);
    pos = after;
    if (tag === EVENT_TAG) {
      const len = readVarint(msg, pos);
      pos = after;
      onEvent(eventRevision(msg, pos, pos + len));
      pos += len;
    } else if (tag === CREATED_TAG) {
      created = readVarint(msg, pos) !== 0;
      pos = after;
    } else pos = skipValue(msg, pos, tag & 7);
  }
  return created;
}
