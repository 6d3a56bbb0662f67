// Record payloads in protobuf wire format, field-compatible with etcd's own WAL payloads:
// raftpb.Entry {Type=1, Term=2, Index=3, Data=4}, raftpb.HardState {term=1, vote=2, commit=3},
// walpb.Snapshot {index=1, term=2, conf_state=3 (raftpb.ConfState {voters=1, learners=2})} and
// etcdserverpb.Metadata {NodeID=1, ClusterID=2}. The crc record's payload is the previous record's
// 64-bit checksum, little-endian. Decoders tolerate missing fields (proto defaults) and unknown ones.
import type { ByteBuffer } from "./byte-buffer.ts";
import {
  ProtoError,
  ProtoReader,
  WIRE_VARINT,
  writeBytesField,
  writeTag,
  writeVarint,
  writeVarintBig,
} from "./protowire.ts";
import type { ConfState, Entry, EntryType, HardState, Snapshot, WalMetadata } from "./types.ts";

function varintField(buf: ByteBuffer, field: number, v: number): void {
  writeTag(buf, field, WIRE_VARINT);
  writeVarint(buf, v);
}

function bigField(buf: ByteBuffer, field: number, v: bigint): void {
  writeTag(buf, field, WIRE_VARINT);
  writeVarintBig(buf, v);
}

export function encodeEntry(buf: ByteBuffer, e: Entry): void {
  varintField(buf, 1, e.type);
  varintField(buf, 2, e.term);
  varintField(buf, 3, e.index);
  writeBytesField(buf, 4, e.data);
}

export function decodeEntry(bytes: Uint8Array): Entry {
  const r = new ProtoReader(bytes);
  const e: Entry = { term: 0, index: 0, type: 0, data: new Uint8Array(0) };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_VARINT) e.type = entryType(r.varint());
    else if (field === 2 && wire === WIRE_VARINT) e.term = r.varint();
    else if (field === 3 && wire === WIRE_VARINT) e.index = r.varint();
    else if (field === 4) e.data = r.bytesField().slice();
    else r.skip(wire);
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
  const r = new ProtoReader(bytes);
  const hs: HardState = { term: 0, vote: 0n, commit: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_VARINT) hs.term = r.varint();
    else if (field === 2 && wire === WIRE_VARINT) hs.vote = r.varintBig();
    else if (field === 3 && wire === WIRE_VARINT) hs.commit = r.varint();
    else r.skip(wire);
  }
  return hs;
}

export function encodeSnapshot(buf: ByteBuffer, s: Snapshot): void {
  varintField(buf, 1, s.index);
  varintField(buf, 2, s.term);
  if (!s.confState) return;
  // Nested message: encode into the tail of `buf`, then splice its length prefix in front.
  writeTag(buf, 3, 2);
  const start = buf.length;
  for (const v of s.confState.voters) bigField(buf, 1, v);
  for (const l of s.confState.learners) bigField(buf, 2, l);
  const inner = buf.bytes.slice(start, buf.length);
  buf.length = start;
  writeVarint(buf, inner.length);
  buf.raw(inner);
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  const r = new ProtoReader(bytes);
  const s: Snapshot = { index: 0, term: 0 };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_VARINT) s.index = r.varint();
    else if (field === 2 && wire === WIRE_VARINT) s.term = r.varint();
    else if (field === 3) s.confState = decodeConfState(r.bytesField());
    else r.skip(wire);
  }
  return s;
}

function decodeConfState(bytes: Uint8Array): ConfState {
  const r = new ProtoReader(bytes);
  const cs: ConfState = { voters: [], learners: [] };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1) r.repeatedBig(wire, cs.voters);
    else if (field === 2) r.repeatedBig(wire, cs.learners);
    else r.skip(wire);
  }
  return cs;
}

export function encodeMetadata(buf: ByteBuffer, m: WalMetadata): void {
  bigField(buf, 1, m.memberId);
  bigField(buf, 2, m.clusterId);
}

export function decodeMetadata(bytes: Uint8Array): WalMetadata {
  const r = new ProtoReader(bytes);
  const m: WalMetadata = { memberId: 0n, clusterId: 0n };
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WIRE_VARINT) m.memberId = r.varintBig();
    else if (field === 2 && wire === WIRE_VARINT) m.clusterId = r.varintBig();
    else r.skip(wire);
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
