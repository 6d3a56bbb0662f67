// A scan of etcdserverpb.WatchResponse for the watch fan-out generator: it reads only `created` (3) and each
// event's kv.mod_revision (events = 11, Event.kv = 2, KeyValue.mod_revision = 3), skipping everything else. Field
// numbers are those of etcd 3.4's rpc.proto/kv.proto. Built on wire.ts's loop-based readers: the generator reads a
// million of these per second and must not be the limit.
import { after, findLen, findVarint, LEN, lenEnd, lenStart, readVarint, skipValue, VARINT } from "./wire.ts";

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
