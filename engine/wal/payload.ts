// Record payloads in protobuf wire format, field-compatible with etcd's own WAL payloads:
// raftpb.Entry {Type=1, Term=2, Index=3, Data=4}, raftpb.HardState {term=1, vote=2, commit=3},
// walpb.Snapshot {index=1, term=2, conf_state=3 (raftpb.ConfState {voters=1, learners=2})} and
// etcdserverpb.Metadata {NodeID=1, ClusterID=2}. The crc record's payload is the previous record's
// 64-bit checksum, little-endian. Decoders tolerate missing fields (proto defaults) and unknown ones.
import type { ByteBuffer } from "../bytes/byte-buffer.ts";
import {
  appendBytesField,
  appendTag,
  appendVarint,
  appendVarintBig,
  cursor,
  ProtoError,
  readBytes,
  readRepeatedUint64Big,
  readTag,
  readUint64,
  readUint64Big,
  skipField,
  WIRE_VARINT,
} from "../bytes/protowire.ts";
import type { ConfState, Entry, EntryType, HardState, Snapshot, WalMetadata } from "./types.ts";
import { copyBytes } from "../bytes/copy.ts";

// Tags (field << 3 | wire type) of varint fields 1..3, compared whole so a wrong wire type is skipped.
const TAG1_VARINT = (1 << 3) | WIRE_VARINT;
const TAG2_VARINT = (2 << 3) | WIRE_VARINT;
const TAG3_VARINT = (3 << 3) | WIRE_VARINT;

function varintField(buf: ByteBuffer, field: number, v: number): void {
  appendTag(buf, field, WIRE_VARINT);
  appendVarint(buf, v);
}

function bigField(buf: ByteBuffer, field: number, v: bigint): void {
  appendTag(buf, field, WIRE_VARINT);
  appendVarintBig(buf, v);
}

export function encodeEntry(buf: ByteBuffer, e: Entry): void {
  varintField(buf, 1, e.type);
  varintField(buf, 2, e.term);
  varintField(buf, 3, e.index);
  appendBytesField(buf, 4, e.data);
}

export function decodeEntry(bytes: Uint8Array): Entry {
  const c = cursor(bytes);
  const e: Entry = { term: 0, index: 0, type: 0, data: new Uint8Array(0) };
  while (c.pos < c.end) {
    const tag = readTag(c);
    if (tag === TAG1_VARINT) e.type = entryType(readUint64(c));
    else if (tag === TAG2_VARINT) e.term = readUint64(c);
    else if (tag === TAG3_VARINT) e.index = readUint64(c);
    else if (tag >>> 3 === 4) e.data = copyBytes(readBytes(c));
    else skipField(c, tag & 7);
  }
  return e;
}

function entryType(t: number): EntryType {
  if (t !== 0 && t !== 1) throw new ProtoError(`unknown entry type ${t}`);
  return t;
}

export function encodeHardState(buf: ByteBuffer, hs: HardState): void {
  varintField(buf, 1, hs.term);
  bigField(buf, 2, hs.vote);
  varintField(buf, 3, hs.commit);
}

export function decodeHardState(bytes: Uint8Array): HardState {
  const c = cursor(bytes);
  const hs: HardState = { term: 0, vote: 0n, commit: 0 };
  while (c.pos < c.end) {
    const tag = readTag(c);
    if (tag === TAG1_VARINT) hs.term = readUint64(c);
    else if (tag === TAG2_VARINT) hs.vote = readUint64Big(c);
    else if (tag === TAG3_VARINT) hs.commit = readUint64(c);
    else skipField(c, tag & 7);
  }
  return hs;
}

export function encodeSnapshot(buf: ByteBuffer, s: Snapshot): void {
  varintField(buf, 1, s.index);
  varintField(buf, 2, s.term);
  if (!s.confState) return;
  // Nested message: encode into the tail of `buf`, then splice its length prefix in front.
  appendTag(buf, 3, 2);
  const start = buf.length;
  for (const v of s.confState.voters) bigField(buf, 1, v);
  for (const l of s.confState.learners) bigField(buf, 2, l);
  const inner = buf.bytes.slice(start, buf.length);
  buf.length = start;
  appendVarint(buf, inner.length);
  buf.raw(inner);
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  const c = cursor(bytes);
  const s: Snapshot = { index: 0, term: 0 };
  while (c.pos < c.end) {
    const tag = readTag(c);
    if (tag === TAG1_VARINT) s.index = readUint64(c);
    else if (tag === TAG2_VARINT) s.term = readUint64(c);
    else if (tag >>> 3 === 3) s.confState = decodeConfState(readBytes(c));
    else skipField(c, tag & 7);
  }
  return s;
}

function decodeConfState(bytes: Uint8Array): ConfState {
  const c = cursor(bytes);
  const cs: ConfState = { voters: [], learners: [] };
  while (c.pos < c.end) {
    const tag = readTag(c);
    if (tag >>> 3 === 1) readRepeatedUint64Big(c, tag & 7, cs.voters);
    else if (tag >>> 3 === 2) readRepeatedUint64Big(c, tag & 7, cs.learners);
    else skipField(c, tag & 7);
  }
  return cs;
}

export function encodeMetadata(buf: ByteBuffer, m: WalMetadata): void {
  bigField(buf, 1, m.memberId);
  bigField(buf, 2, m.clusterId);
}

export function decodeMetadata(bytes: Uint8Array): WalMetadata {
  const c = cursor(bytes);
  const m: WalMetadata = { memberId: 0n, clusterId: 0n };
  while (c.pos < c.end) {
    const tag = readTag(c);
    if (tag === TAG1_VARINT) m.memberId = readUint64Big(c);
    else if (tag === TAG2_VARINT) m.clusterId = readUint64Big(c);
    else skipField(c, tag & 7);
  }
  return m;
}

export function encodeCrc(buf: ByteBuffer, prevChecksum: bigint): void {
  buf.u64le(prevChecksum);
}

export function decodeCrc(bytes: Uint8Array): bigint {
  if (bytes.length !== 8) throw new ProtoError(`crc payload is ${bytes.length} bytes, want 8`);
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}
