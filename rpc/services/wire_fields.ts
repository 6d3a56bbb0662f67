// Protobuf field writers over a pre-sized Uint8Array, for the hand-written response encoders of the gRPC fast path
// (watch_encode.ts, kv_encode.ts): sizes first, then one buffer written once. Every response's field 1 is its
// ResponseHeader; headerField encodes it, reusing the last one's bytes.
// Invariant: what these write is what @bufbuild/protobuf's toBinary writes for the same values (fields in
// number order, zero/false values omitted); field numbers here are below 16 (one-byte tags).
import type { ResponseHeader } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { sizeVarint, sizeVarintBig, writeVarint, writeVarintBig } from "../../engine/bytes/protowire.ts";

/** Tag + varint size of a non-zero int64/uint64 field (0 when v is 0, omitted); small values skip bigint math. */
export const varintSize = (v: bigint) => (v === 0n ? 0 : 1 + (v > 0n && v < 0x80000000n ? sizeVarint(Number(v)) : sizeVarintBig(v)));
export const bytesFieldSize = (n: number) => 1 + sizeVarint(n) + n;

export function putVarintField(out: Uint8Array, pos: number, field: number, v: bigint): number {
  if (v === 0n) return pos;
  out[pos] = field << 3; // varint wire type 0; fields here are < 16
  return v > 0n && v < 0x80000000n ? writeVarint(out, pos + 1, Number(v)) : writeVarintBig(out, pos + 1, v);
}

/** Tag + varint size of a non-negative number field (0 when v is 0, omitted). */
export const numberFieldSize = (v: number) => (v === 0 ? 0 : 1 + sizeVarint(v));

/** A non-negative number as varint field `field` (omitted when 0). */
export function putNumberField(out: Uint8Array, pos: number, field: number, v: number): number {
  if (v === 0) return pos;
  out[pos] = field << 3;
  return writeVarint(out, pos + 1, v);
}

export function putFlag(out: Uint8Array, pos: number, field: number, on: boolean): number {
  if (!on) return pos;
  out[pos] = field << 3;
  out[pos + 1] = 1;
  return pos + 2;
}

export function putBytesField(out: Uint8Array, pos: number, field: number, b: Uint8Array): number {
  out[pos] = (field << 3) | 2;
  pos = writeVarint(out, pos + 1, b.length);
  out.set(b, pos);
  return pos + b.length;
}

/** The last header encoded (field 1, tag and length included): a watch fan-out repeats it per watcher. */
let lastHeader: { of: ResponseHeader; c: bigint; m: bigint; r: bigint; t: bigint; bytes: Uint8Array } | undefined;

/** The last cluster_id and member_id encoded as fields 1 and 2: a member's ids change only with its identity. */
let lastIds: { c: bigint; m: bigint; bytes: Uint8Array } | undefined;

function idFields(c: bigint, m: bigint): Uint8Array {
  const l = lastIds;
  if (l !== undefined && l.c === c && l.m === m) return l.bytes;
  const bytes = new Uint8Array(varintSize(c) + varintSize(m));
  putVarintField(bytes, putVarintField(bytes, 0, 1, c), 2, m);
  lastIds = { c, m, bytes };
  return bytes;
}

/** ResponseHeader {cluster_id 1, member_id 2, revision 3, raft_term 4} as field 1 of a response, as toBinary writes it. */
export function headerField(h: ResponseHeader): Uint8Array {
  const l = lastHeader;
  if (l !== undefined && l.of === h) return l.bytes; // headers are shared per revision (kv_convert) and never mutated
  if (l !== undefined && l.r === h.revision && l.t === h.raftTerm && l.c === h.clusterId && l.m === h.memberId) return l.bytes;
  const ids = idFields(h.clusterId, h.memberId); // the 64-bit ids cost bigint arithmetic: encoded once
  const body = ids.length + varintSize(h.revision) + varintSize(h.raftTerm);
  const bytes = new Uint8Array(1 + sizeVarint(body) + body);
  bytes[0] = (1 << 3) | 2;
  let pos = writeVarint(bytes, 1, body);
  bytes.set(ids, pos);
  pos = putVarintField(bytes, pos + ids.length, 3, h.revision);
  putVarintField(bytes, pos, 4, h.raftTerm);
  lastHeader = { of: h, c: h.clusterId, m: h.memberId, r: h.revision, t: h.raftTerm, bytes };
  return bytes;
}
