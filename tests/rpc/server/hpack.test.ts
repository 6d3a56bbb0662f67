// HPACK pieces of the `:authority` filter: Huffman decoding against RFC 7541 Appendix C.4, integer/string
// primitives, dynamic table sizes and eviction (C.3/C.4 table states), and AuthorityRewriter's edits (only the
// refused values change; every other octet and the table sizes stay as the client's encoder has them).
import { describe, expect, test } from "bun:test";
import { AuthorityRewriter } from "../../../rpc/server/hpack/authority_rewriter.ts";
import { DynamicTable } from "../../../rpc/server/hpack/dynamic_table.ts";
import { huffmanDecode, huffmanEncode, HuffmanError } from "../../../rpc/server/hpack/huffman.ts";
import { encodeInt, HpackError, rawStringLiteral, readInt, readString } from "../../../rpc/server/hpack/primitives.ts";
import { indexed, literal, sizeUpdate, str } from "./support/hpack_builder.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

describe("Huffman", () => {
  test("decodes the RFC 7541 C.4 request strings", () => {
    expect(huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"))).toBe("www.example.com");
    expect(huffmanDecode(hex("a8eb 1064 9cbf"))).toBe("no-cache");
    expect(huffmanDecode(hex("25a8 49e9 5ba9 7d7f"))).toBe("custom-key");
    expect(huffmanDecode(hex("25a8 49e9 5bb8 e8b4 bf"))).toBe("custom-value");
  });

  test("encode then decode round-trips every octet value", () => {
    let all = "";
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
    expect(huffmanDecode(huffmanEncode(all))).toBe(all);
    expect(huffmanEncode("www.example.com")).toEqual(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"));
  });

  test("rejects padding that is too long or not all ones, and EOS", () => {
    expect(() => huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff ff"))).toThrow(HuffmanError); // 8+ padding bits
    expect(() => huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4fe"))).toThrow(HuffmanError); // padding with a 0
    expect(() => huffmanDecode(hex("ffff fffc"))).toThrow(HuffmanError); // EOS (30 ones)
  });
});

describe("primitives", () => {
  test("prefixed integers: RFC 7541 C.1 examples", () => {
    expect(encodeInt(10, 5, 0)).toEqual(hex("0a"));
    expect(encodeInt(1337, 5, 0)).toEqual(hex("1f9a0a"));
    expect(readInt(hex("1f9a0a"), 0, 3, 5)).toEqual({ value: 1337, end: 3 });
    expect(readInt(hex("2a"), 0, 1, 8)).toEqual({ value: 42, end: 1 });
  });

  test("truncated integers and strings throw HpackError", () => {
    expect(() => readInt(hex("1f9a"), 0, 2, 5)).toThrow(HpackError);
    expect(() => readString(hex("05616263"), 0, 4)).toThrow(HpackError);
    expect(readString(rawStringLiteral("abc"), 0, 4)).toEqual({ value: "abc", end: 4 });
    expect(readString(str("abc", true), 0, str("abc", true).length).value).toBe("abc");
  });
});

describe("DynamicTable", () => {
  test("entry sizes count name + value + 32 and indices run newest first", () => {
    const t = new DynamicTable();
    t.add(":authority", "www.example.com");
    t.add("cache-control", "no-cache");
    expect(t.size).toBe(57 + 53);
    expect(t.nameAt(62)).toBe("cache-control");
    expect(t.nameAt(63)).toBe(":authority");
    expect(t.nameAt(1)).toBe(":authority");
    expect(() => t.nameAt(64)).toThrow(HpackError);
  });

  test("adding evicts the oldest entries; an entry larger than the table empties it", () => {
    const t = new DynamicTable(100);
    t.add("a", "v".repeat(17)); // 50
    t.add("b", "v".repeat(17)); // 50
    t.add("c", "v".repeat(17)); // evicts "a"
    expect([t.length, t.size, t.nameAt(62), t.nameAt(63)]).toEqual([2, 100, "c", "b"]);
    t.add("d", "v".repeat(100));
    expect([t.length, t.size]).toEqual([0, 0]);
  });

  test("a size update evicts down to the new maximum", () => {
    const t = new DynamicTable();
    for (const n of ["a", "b", "c"]) t.add(n, "v".repeat(17));
    t.resize(120);
    expect([t.length, t.size, t.nameAt(62), t.nameAt(63)]).toEqual([2, 100, "c", "b"]);
    t.resize(0);
    expect(t.length).toBe(0);
  });
});

describe("AuthorityRewriter", () => {
  test("RFC 7541 C.3 (raw) and C.4 (Huffman) request sequences: no change, RFC table sizes", () => {
    const sequences = [
      ["828684410f7777772e6578616d706c652e636f6d", "828684be58086e6f2d6361636865", "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"],
      ["828684418cf1e3c2e5f23a6ba0ab90f4ff", "828684be5886a8eb10649cbf", "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf"],
    ];
    for (const blocks of sequences) {
      const rw = new AuthorityRewriter();
      const sizes = blocks.map((b) => (expect(rw.rewrite(hex(b))).toBeNull(), rw.table.size));
      expect(sizes).toEqual([57, 110, 164]);
    }
  });

  test("replaces a refused authority with a raw same-length value, keeping every other octet", () => {
    const bad = "http://127.0.0.1:2379";
    const good = "127.0.0.1:00000002379";
    for (const huffman of [false, true]) {
      for (const kind of ["incremental", "without", "never"] as const) {
        const before = Buffer.concat([indexed(3), indexed(6), literal("incremental", "x-a", "1", huffman)]);
        const after = Buffer.concat([literal("without", 4, "/p", huffman)]);
        const nameIndex = Buffer.from([kind === "incremental" ? 0x41 : kind === "never" ? 0x11 : 0x01]);
        const block = Buffer.concat([before, nameIndex, str(bad, huffman), after]);
        const rw = new AuthorityRewriter();
        expect(rw.rewrite(block)).toEqual(Buffer.concat([before, nameIndex, rawStringLiteral(good), after]));
        expect(rw.table.size).toBe(3 + 1 + 32 + (kind === "incremental" ? 10 + bad.length + 32 : 0));
      }
    }
  });

  test("finds :authority by literal name and by a dynamic entry's name; indexed reuse needs no edit", () => {
    const rw = new AuthorityRewriter();
    const first = Buffer.concat([literal("incremental", ":authority", "passthrough:///http://h:1", true)]);
    const out1 = rw.rewrite(first)!;
    expect(out1.subarray(0, 1 + str(":authority", true).length)).toEqual(first.subarray(0, 1 + str(":authority", true).length));
    expect(out1.subarray(1 + str(":authority", true).length)).toEqual(rawStringLiteral("h:00000000000000000000001"));
    // index 62 is that entry; a literal naming it with a new value, then the indexed entry itself
    const second = Buffer.concat([literal("without", 62, "http://h:2"), indexed(62)]);
    expect(rw.rewrite(second)).toEqual(Buffer.concat([literal("without", 62, "h:00000002"), indexed(62)]));
    expect(rw.rewrite(indexed(62))).toBeNull();
  });

  test("follows size updates and eviction, so later indices still resolve to the right names", () => {
    const rw = new AuthorityRewriter();
    const block = Buffer.concat([
      sizeUpdate(100),
      literal("incremental", 1, "http://a:1"), // 10 + 10 + 32 = 52
      literal("incremental", "x-b", "yyyyyyyyyyyyyyy"), // 3 + 15 + 32 = 50: evicts the authority
    ]);
    rw.rewrite(block);
    expect([rw.table.length, rw.table.size, rw.table.nameAt(62)]).toEqual([1, 50, "x-b"]);
    // literal with name index 62 is now x-b, not :authority: left alone
    expect(rw.rewrite(literal("without", 62, "http://a:1"))).toBeNull();
  });

  test("malformed blocks throw HpackError", () => {
    const rw = new AuthorityRewriter();
    expect(() => rw.rewrite(indexed(0))).toThrow(HpackError);
    expect(() => rw.rewrite(indexed(70))).toThrow(HpackError);
    expect(() => rw.rewrite(hex("410f7777"))).toThrow(HpackError);
  });
});
