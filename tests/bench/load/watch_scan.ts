// A scan of etcdserverpb.WatchResponse for the watch fan-out generator: it reads only `created` (3) and each
// event's kv.mod_revision (events = 11, Event.kv = 2, KeyValue.mod_revision = 3), skipping everything else. Field
// numbers are those of etcd 3.4's rpc.proto/kv.proto.
import { fields, LEN, VARINT, varint } from "./wire.ts";

/** The mod_revision of the Event at buf[start, end) (0 if it has none). */
function eventRevision(buf: Uint8Array, start: number, end: number): number {
  let rev = 0;
  fields(buf, start, end, (f, wire, c, len) => {
    if (f !== 2 || wire !== LEN) return false;
    fields(buf, c.pos, c.pos + len, (kf, kw, kc) => {
      if (kf !== 3 || kw !== VARINT) return false;
      rev = varint(kc);
      return true;
    });
    c.pos += len;
    return true;
  });
  return rev;
}

/** Scans one WatchResponse: whether it is a `created` reply, and calls onEvent(mod_revision) per event. */
export function scanWatchResponse(msg: Uint8Array, onEvent: (modRevision: number) => void): { created: boolean } {
  let created = false;
  fields(msg, 0, msg.length, (f, wire, c, len) => {
    if (f === 3 && wire === VARINT) {
      created = varint(c) !== 0;
      return true;
    }
    if (f === 11 && wire === LEN) {
      onEvent(eventRevision(msg, c.pos, c.pos + len));
      c.pos += len;
      return true;
    }
    return false;
  });
  return { created };
}
