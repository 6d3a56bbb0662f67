// mvccpb.KeyValue, the value stored under each revision key in the backend's `key` bucket, with a
// hand-written protobuf codec whose bytes equal gogo/protobuf's Marshal in etcd 3.4 (mvccpb/kv.pb.go):
// fields in number order, proto3 defaults (empty bytes, zero ints) omitted, int64 as varint (negative →
// 10 bytes). Lease IDs are full int64 (etcd mints them from member id + time, well above 2^53) so `lease`
// is a bigint; revisions and versions are numbers (safe integers; decoding rejects larger ones).
// Decoded key/value are views into the input buffer (no copy): copy them if the buffer will be reused.

import {
  type Cursor,
  cursor,
  ProtoError,
  readInt64,
  readInt64Big,
  readLengthDelimited,
  readTag,
  sizeVarint,
  sizeVarintBig,
  skipField,
  writeVarint,
  writeVarintBig,
} from "../bytes/protowire.ts";

export interface KeyValue {
  key: Uint8Array;
  createRevision: number;
  modRevision: number;
  version: number;
  value: Uint8Array;
  lease: bigint;
}

const EMPTY = new Uint8Array(0);

/** A KeyValue with proto3 defaults for the fields not given. */
export function keyValue(fields: Partial<KeyValue>): KeyValue {
  return {
    key: fields.key ?? EMPTY,
    createRevision: fields.createRevision ?? 0,
    modRevision: fields.modRevision ?? 0,
    version: fields.version ?? 0,
    value: fields.value ?? EMPTY,
    lease: fields.lease ?? 0n,
  };
}

const TAG_KEY = 0x0a; // 1 << 3 | 2
const TAG_CREATE = 0x10; // 2 << 3 | 0
const TAG_MOD = 0x18;
const TAG_VERSION = 0x20;
const TAG_VALUE = 0x2a; // 5 << 3 | 2
const TAG_LEASE = 0x30;

function sizeBytesField(b: Uint8Array): number {
  return b.length > 0 ? 1 + sizeVarint(b.length) + b.length : 0;
}

function sizeIntField(n: number): number {
  return n !== 0 ? 1 + sizeVarint(n) : 0;
}

/** Encoded size of kv (gogo's KeyValue.Size). */
export function keyValueSize(kv: KeyValue): number {
  return (
    sizeBytesField(kv.key) +
    sizeIntField(kv.createRevision) +
    sizeIntField(kv.modRevision) +
    sizeIntField(kv.version) +
    sizeBytesField(kv.value) +
    (kv.lease !== 0n ? 1 + sizeVarintBig(kv.lease) : 0)
  );
}

function writeBytesField(buf: Uint8Array, pos: number, tag: number, b: Uint8Array): number {
  if (b.length === 0) return pos;
  buf[pos] = tag;
  pos = writeVarint(buf, pos + 1, b.length);
  buf.set(b, pos);
  return pos + b.length;
}

function writeIntField(buf: Uint8Array, pos: number, tag: number, n: number): number {
  if (n === 0) return pos;
  buf[pos] = tag;
  return writeVarint(buf, pos + 1, n);
}

/** Writes kv at buf[pos..] (buf must have keyValueSize(kv) bytes free); returns the end position. */
export function writeKeyValue(buf: Uint8Array, pos: number, kv: KeyValue): number {
  pos = writeBytesField(buf, pos, TAG_KEY, kv.key);
  pos = writeIntField(buf, pos, TAG_CREATE, kv.createRevision);
  pos = writeIntField(buf, pos, TAG_MOD, kv.modRevision);
  pos = writeIntField(buf, pos, TAG_VERSION, kv.version);
  pos = writeBytesField(buf, pos, TAG_VALUE, kv.value);
  if (kv.lease !== 0n) {
    buf[pos] = TAG_LEASE;
    pos = writeVarintBig(buf, pos + 1, kv.lease);
  }
  return pos;
}

/** kv as protobuf bytes, identical to etcd's kv.Marshal(). */
export function encodeKeyValue(kv: KeyValue): Uint8Array {
  const buf = new Uint8Array(keyValueSize(kv));
  writeKeyValue(buf, 0, kv);
  return buf;
}

/** Decodes the KeyValue in c.buf[c.pos..c.end]; unknown fields are skipped, a repeated field's last value wins. */
export function readKeyValue(c: Cursor): KeyValue {
  const kv = keyValue({});
  const buf = c.buf;
  while (c.pos < c.end) {
    const tag = readTag(c);
    switch (tag) {
      case TAG_KEY: {
        const start = readLengthDelimited(c);
        kv.key = buf.subarray(start, c.pos);
        break;
      }
      case TAG_CREATE:
        kv.createRevision = readInt64(c);
        break;
      case TAG_MOD:
        kv.modRevision = readInt64(c);
        break;
      case TAG_VERSION:
        kv.version = readInt64(c);
        break;
      case TAG_VALUE: {
        const start = readLengthDelimited(c);
        kv.value = buf.subarray(start, c.pos);
        break;
      }
      case TAG_LEASE:
        kv.lease = readInt64Big(c);
        break;
      default:
        if (tag >>> 3 === 0) throw new ProtoError("proto: illegal field number 0");
        skipField(c, tag & 7);
    }
  }
  return kv;
}

/** Decodes protobuf bytes into a KeyValue (key/value alias `bytes`). */
export function decodeKeyValue(bytes: Uint8Array): KeyValue {
  return readKeyValue(cursor(bytes));
}
