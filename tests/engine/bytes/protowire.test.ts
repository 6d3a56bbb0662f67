// The shared protobuf wire primitives: both writers produce the same bytes as each other and as
// @bufbuild/protobuf, sizes match what is written, the reader round-trips int64/uint64 as numbers and
// bigints, and truncated / oversized / malformed input is refused with ProtoError (a RangeError).
import { describe, expect, test } from "bun:test";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { ByteBuffer } from "../../../engine/bytes/byte-buffer.ts";
import {
  appendBytesField,
  appendTag,
  appendVarint,
  appendVarintBig,
  cursor,
  ProtoError,
  readBytes,
  readInt64,
  readInt64Big,
  readRepeatedUint64Big,
  readTag,
  readUint64,
  readUint64Big,
  sizeVarint,
  sizeVarintBig,
  skipField,
  WIRE_BYTES,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_VARINT,
  writeVarint,
  writeVarintBig,
} from "../../../engine/bytes/protowire.ts";

const BOUNDARY: number[] = [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35 + 3, Number.MAX_SAFE_INTEGER];
for (let k = 7; k <= 49; k += 7) BOUNDARY.push(2 ** k - 1, 2 ** k);

function appended(f: (b: ByteBuffer) => void): Uint8Array {
  const b = new ByteBuffer(1); // tiny, so appends exercise growth
  f(b);
  return b.content().slice();
}

function fixed(size: number, f: (buf: Uint8Array) => number): Uint8Array {
  const buf = new Uint8Array(size);
  expect(f(buf)).toBe(size);
  return buf;
}

describe("writers", () => {
  test("number varints: both writers agree with each other, with sizeVarint and with @bufbuild/protobuf", () => {
    for (const v of BOUNDARY) {
      const a = appended((b) => appendVarint(b, v));
      const f = fixed(sizeVarint(v), (buf) => writeVarint(buf, 0, v));
      expect(f).toEqual(a);
      expect(a).toEqual(new BinaryWriter().uint64(v).finish());
    }
  });

  test("negative int64 numbers are 10-byte two's complement, like Go's uint64(int64)", () => {
    for (const v of [-1, -2, -128, -(2 ** 31), -(2 ** 32), -Number.MAX_SAFE_INTEGER]) {
      expect(sizeVarint(v)).toBe(10);
      const f = fixed(10, (buf) => writeVarint(buf, 0, v));
      expect(f).toEqual(new BinaryWriter().int64(v).finish());
      expect(readInt64(cursor(f))).toBe(v);
    }
  });

  test("bigint varints: both writers agree, int64 negatives and uint64 above 2^63 alike", () => {
    for (const v of [0n, 1n, 127n, 128n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 0x8e9e05c52164694dn, -1n, -(2n ** 63n)]) {
      const a = appended((b) => appendVarintBig(b, v));
      const f = fixed(sizeVarintBig(v), (buf) => writeVarintBig(buf, 0, v));
      expect(f).toEqual(a);
      expect(a).toEqual(new BinaryWriter().uint64(BigInt.asUintN(64, v)).finish());
    }
  });

  test("tags and bytes fields (an empty one is still emitted)", () => {
    const data = new Uint8Array([1, 2, 3]);
    const a = appended((b) => {
      appendTag(b, 1, WIRE_VARINT);
      appendVarint(b, 150);
      appendBytesField(b, 20, data);
      appendBytesField(b, 3, new Uint8Array(0));
    });
    const want = new BinaryWriter().tag(1, WireType.Varint).uint64(150).tag(20, WireType.LengthDelimited).bytes(data).tag(3, WireType.LengthDelimited).bytes(new Uint8Array(0)).finish();
    expect(a).toEqual(want);
  });

  test("writes at an offset return the position after the varint", () => {
    const buf = new Uint8Array(12).fill(0xee);
    expect(writeVarint(buf, 2, 300)).toBe(4);
    expect(writeVarintBig(buf, 4, 1n)).toBe(5);
    expect([...buf.subarray(0, 6)]).toEqual([0xee, 0xee, 0xac, 0x02, 0x01, 0xee]);
  });
});

describe("reader", () => {
  test("uint64 numbers round-trip at every 7-bit boundary up to 2^53, int64 alike", () => {
    for (const v of BOUNDARY) {
      const bytes = appended((b) => appendVarint(b, v));
      const c = cursor(bytes);
      expect(readUint64(c)).toBe(v);
      expect(c.pos).toBe(bytes.length);
      expect(readInt64(cursor(bytes))).toBe(v);
      expect(new BinaryReader(bytes).uint64()).toBe(BigInt(v));
    }
  });

  test("bigints round-trip as uint64 and as int64", () => {
    for (const v of [0n, 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, 0x8e9e05c52164694dn]) {
      const bytes = appended((b) => appendVarintBig(b, v));
      expect(readUint64Big(cursor(bytes))).toBe(v);
      expect(readInt64Big(cursor(bytes))).toBe(BigInt.asIntN(64, v));
    }
  });

  test("a varint at or above 2^53 is refused as a number; truncated and 11-byte varints are refused", () => {
    const big = appended((b) => appendVarintBig(b, 2n ** 60n));
    expect(() => readUint64(cursor(big))).toThrow(ProtoError);
    expect(() => readInt64(cursor(big))).toThrow(ProtoError);
    expect(() => readUint64(cursor(appended((b) => appendVarintBig(b, 2n ** 53n))))).toThrow(ProtoError);
    expect(() => readUint64(cursor(new Uint8Array([0x80, 0x80])))).toThrow(ProtoError);
    expect(() => readUint64Big(cursor(new Uint8Array(11).fill(0x80)))).toThrow(ProtoError);
    expect(() => readUint64(cursor(new Uint8Array([0x80, 0x80])))).toThrow(RangeError);
    // the cursor's end bounds reads even when the buffer goes on
    expect(() => readUint64(cursor(new Uint8Array([0x80, 0x01]), 0, 1))).toThrow(ProtoError);
  });

  test("tags, bytes views, and a tag beyond 32 bits", () => {
    const bytes = appended((b) => appendBytesField(b, 5, new Uint8Array([9, 8, 7])));
    const c = cursor(bytes);
    expect(readTag(c)).toBe((5 << 3) | WIRE_BYTES);
    const v = readBytes(c);
    expect([...v]).toEqual([9, 8, 7]);
    expect(v.buffer).toBe(bytes.buffer); // a view, not a copy
    expect(c.pos).toBe(c.end);
    expect(() => readTag(cursor(appended((b) => appendVarint(b, 2 ** 33))))).toThrow(ProtoError);
    expect(() => readBytes(cursor(new Uint8Array([0x05, 1, 2])))).toThrow(ProtoError);
  });

  test("skipField skips every wire type and refuses overruns and unknown wire types", () => {
    const msg = new BinaryWriter()
      .tag(1, WireType.Varint).uint64(2n ** 63n)
      .tag(2, WireType.Bit64).fixed64(7n)
      .tag(3, WireType.LengthDelimited).bytes(new Uint8Array(300))
      .tag(4, WireType.Bit32).fixed32(9)
      .tag(5, WireType.Varint).uint32(42)
      .finish();
    const c = cursor(msg);
    for (let i = 0; i < 4; i++) {
      const tag = readTag(c);
      skipField(c, tag & 7);
    }
    expect(readTag(c)).toBe((5 << 3) | WIRE_VARINT);
    expect(readUint64(c)).toBe(42);
    expect(() => skipField(cursor(new Uint8Array(7)), WIRE_FIXED64)).toThrow(ProtoError);
    expect(() => skipField(cursor(new Uint8Array(3)), WIRE_FIXED32)).toThrow(ProtoError);
    expect(() => skipField(cursor(new Uint8Array(8)), 3)).toThrow(ProtoError);
  });

  test("repeated uint64: unpacked and packed occurrences append in order; the cursor's end is restored", () => {
    const packed = new BinaryWriter().tag(1, WireType.LengthDelimited).fork().uint64(1n).uint64(2n ** 64n - 1n).join().tag(1, WireType.Varint).uint64(3n).tag(2, WireType.Varint).uint64(4n).finish();
    const c = cursor(packed);
    const out: bigint[] = [];
    while (c.pos < c.end) {
      const tag = readTag(c);
      if (tag >>> 3 === 1) readRepeatedUint64Big(c, tag & 7, out);
      else skipField(c, tag & 7);
    }
    expect(out).toEqual([1n, 2n ** 64n - 1n, 3n]);
    expect(c.end).toBe(packed.length);
    expect(() => readRepeatedUint64Big(cursor(new Uint8Array(8)), WIRE_FIXED64, [])).toThrow(ProtoError);
    // a packed run whose last varint is cut off at the field's end
    expect(() => readRepeatedUint64Big(cursor(new Uint8Array([0x01, 0x80, 0x01])), WIRE_BYTES, [])).toThrow(ProtoError);
  });
});

describe("ByteBuffer", () => {
  test("grows by doubling, keeps content, reset reuses the allocation", () => {
    const b = new ByteBuffer(2);
    b.byte(1);
    b.raw(new Uint8Array([2, 3, 4]));
    b.zeros(2);
    b.u64le(0x0807060504030201n);
    expect([...b.content()]).toEqual([1, 2, 3, 4, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b.bytes.length).toBe(16);
    const backing = b.bytes;
    b.reset();
    expect(b.length).toBe(0);
    b.zeros(3); // stale bytes are cleared
    expect([...b.content()]).toEqual([0, 0, 0]);
    expect(b.bytes).toBe(backing);
  });
});
