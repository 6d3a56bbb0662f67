// Key selectors → etcd's (key, range_end): clientv3's prefix end, "\0" for open ranges, and the refusals.
import { describe, expect, test } from "bun:test";
import { prefixEnd, toBytes, wireRange } from "../../../rpc/client/keys.ts";

const b = (...x: number[]) => new Uint8Array(x);

describe("keys", () => {
  test("prefixEnd increments the last byte below 0xff, dropping trailing 0xff; all-0xff has no end", () => {
    expect<Uint8Array>(prefixEnd(toBytes("abc"))).toEqual(toBytes("abd"));
    expect(prefixEnd(b(0x61, 0xff))).toEqual(b(0x62));
    expect(prefixEnd(b(0x61, 0xff, 0xff))).toEqual(b(0x62));
    expect(prefixEnd(b(0xff, 0xff))).toEqual(b(0));
  });

  test("a Buffer prefix is left as it was (Buffer.slice is a view: the end must be a copy)", () => {
    const prefix = Buffer.from("foo");
    expect(wireRange({ prefix })).toEqual({ key: prefix, rangeEnd: toBytes("fop") });
    expect(prefix.toString()).toBe("foo");
  });

  test("selectors", () => {
    expect(wireRange("k")).toEqual({ key: toBytes("k"), rangeEnd: b() });
    expect(wireRange(b(1, 2))).toEqual({ key: b(1, 2), rangeEnd: b() });
    expect(wireRange({ key: "a" })).toEqual({ key: toBytes("a"), rangeEnd: b() });
    expect(wireRange({ key: "a", end: "c" })).toEqual({ key: toBytes("a"), rangeEnd: toBytes("c") });
    expect(wireRange({ key: "a", end: "\0" })).toEqual({ key: toBytes("a"), rangeEnd: b(0) });
    expect(wireRange({ end: "m" })).toEqual({ key: b(0), rangeEnd: toBytes("m") });
    expect(wireRange({ prefix: "app/" })).toEqual({ key: toBytes("app/"), rangeEnd: toBytes("app0") });
    expect(wireRange({ prefix: "" })).toEqual({ key: b(0), rangeEnd: b(0) });
    expect(toBytes("é")).toEqual(b(0xc3, 0xa9));
  });

  test("ambiguous or empty selectors are TypeErrors", () => {
    expect(() => wireRange({})).toThrow(TypeError);
    expect(() => wireRange({ prefix: "a", key: "b" })).toThrow(/either prefix or key/);
    expect(() => wireRange({ prefix: "a", end: "b" })).toThrow(TypeError);
  });
});
