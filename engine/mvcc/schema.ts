// etcd 3.4's backend schema as far as mvcc owns it (mvcc/kvstore.go, etcd 3.5 adds `term`): bucket and meta
// key names, and the 8-byte big-endian uint64 encoding of consistent_index and term. Revisions in the meta
// bucket (scheduledCompactRev, finishedCompactRev) use the 17-byte revision encoding of revision.ts.
// Invariant: indexes are JS numbers, exact below 2^53; decoding rejects larger values.

const enc = new TextEncoder();

/** Bucket of every revision: revision key → mvccpb.KeyValue. */
export const KEY_BUCKET = enc.encode("key");
/** Bucket of store-wide metadata. */
export const META_BUCKET = enc.encode("meta");
/** FillPercent etcd sets on the append-only `key` bucket (backend/batch_tx.go UnsafeSeqPut). */
export const KEY_BUCKET_FILL_PERCENT = 0.9;

export const CONSISTENT_INDEX_KEY = enc.encode("consistent_index");
/** Raft term of the last applied entry; etcd 3.5 writes it, etcd 3.4 ignores it. */
export const TERM_KEY = enc.encode("term");
export const SCHEDULED_COMPACT_KEY = enc.encode("scheduledCompactRev");
export const FINISHED_COMPACT_KEY = enc.encode("finishedCompactRev");

/** Go's binary.BigEndian.PutUint64. */
export function encodeUint64(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`mvcc: ${n} is not a uint64 below 2^53`);
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, Math.floor(n / 4294967296));
  v.setUint32(4, n >>> 0);
  return out;
}

/** Go's binary.BigEndian.Uint64, for values below 2^53. */
export function decodeUint64(b: Uint8Array): number {
  if (b.length !== 8) throw new RangeError(`mvcc: uint64 value has ${b.length} bytes, want 8`);
  const v = new DataView(b.buffer, b.byteOffset, 8);
  const n = v.getUint32(0) * 4294967296 + v.getUint32(4);
  if (!Number.isSafeInteger(n)) throw new RangeError("mvcc: uint64 value is beyond 2^53");
  return n;
}
