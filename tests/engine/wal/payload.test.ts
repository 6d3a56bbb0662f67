// Payload encodings round-trip, including 64-bit ids, and stay readable by a generic protobuf reader
// (@bufbuild/protobuf) with etcd's field numbers. The varint primitives are tested in tests/engine/bytes.
import { describe, expect, test } from "bun:test";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { ByteBuffer } from "../../../engine/bytes/byte-buffer.ts";
import { ProtoError } from "../../../engine/bytes/protowire.ts";
import * as p from "../../../engine/wal/payload.ts";
import type { Entry, HardState, Snapshot } from "../../../engine/wal/types.ts";

function enc<T>(f: (b: ByteBuffer, v: T) => void, v: T): Uint8Array {
  const b = new ByteBuffer(4);
  f(b, v);
  return b.content().slice();
}

describe("payloads", () => {
  test("entry round-trips and matches raftpb.Entry field numbers", () => {
    const e: Entry = { term: 7, index: 2 ** 40 + 5, type: 1, data: new Uint8Array([1, 2, 3, 0, 255]) };
    const bytes = enc(p.encodeEntry, e);
    expect(p.decodeEntry(bytes)).toEqual(e);
    const r = new BinaryReader(bytes);
    const seen: Record<number, unknown> = {};
    while (r.pos < r.len) {
      const [f] = r.tag();
      seen[f] = f === 4 ? r.bytes() : r.uint64();
    }
    expect(seen).toEqual({ 1: 1n, 2: 7n, 3: BigInt(e.index), 4: e.data });
  });

  test("entry with empty data, and an unknown entry type is rejected", () => {
    const e: Entry = { term: 1, index: 1, type: 0, data: new Uint8Array(0) };
    expect(p.decodeEntry(enc(p.encodeEntry, e))).toEqual(e);
    expect(() => p.decodeEntry(new Uint8Array([0x08, 0x05]))).toThrow(ProtoError);
  });

  test("hard state round-trips with a 64-bit vote", () => {
    const hs: HardState = { term: 3, vote: 0xfedcba9876543210n, commit: 99 };
    expect(p.decodeHardState(enc(p.encodeHardState, hs))).toEqual(hs);
  });

  test("snapshot round-trips with and without conf state; packed repeated ids decode too", () => {
    const s: Snapshot = { index: 10, term: 2, confState: { voters: [1n, 2n ** 63n], learners: [5n] } };
    expect(p.decodeSnapshot(enc(p.encodeSnapshot, s))).toEqual(s);
    expect(p.decodeSnapshot(enc(p.encodeSnapshot, { index: 4, term: 1 }))).toEqual({ index: 4, term: 1 });
    // field 3 { field 1 packed [1, 2] }
    const packed = new Uint8Array([0x08, 0x01, 0x10, 0x01, 0x1a, 0x04, 0x0a, 0x02, 0x01, 0x02]);
    expect(p.decodeSnapshot(packed).confState).toEqual({ voters: [1n, 2n], learners: [] });
  });

  test("metadata and crc round-trip; unknown fields are skipped", () => {
    const m = { memberId: 2n ** 64n - 1n, clusterId: 12345n };
    const bytes = enc(p.encodeMetadata, m);
    const withUnknown = new Uint8Array([...bytes, 0x2a, 0x01, 0x00, 0x31, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(p.decodeMetadata(withUnknown)).toEqual(m);
    expect(p.decodeCrc(enc(p.encodeCrc, 0xdeadbeefcafef00dn))).toBe(0xdeadbeefcafef00dn);
    expect(() => p.decodeCrc(new Uint8Array(7))).toThrow(ProtoError);
  });
});
