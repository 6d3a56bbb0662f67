// The full HPACK decoder and the response encoder of rpc/server/h2: RFC 7541 Appendix C.3 and C.4 (a request
// sequence sharing one dynamic table, without and with Huffman), eviction and size updates, malformed blocks,
// and encoder output read back by the decoder.
import { describe, expect, test } from "bun:test";
import { HpackDecoder } from "../../../rpc/server/hpack/decoder.ts";
import { encodeHeaders } from "../../../rpc/server/hpack/encoder.ts";
import { HpackError } from "../../../rpc/server/hpack/primitives.ts";
import { indexed, literal, sizeUpdate, str } from "./support/hpack_builder.ts";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const decode = (d: HpackDecoder, b: Uint8Array) => d.decode(b, 0, b.length);

const C3: { block: string; headers: Record<string, string> }[] = [
  { block: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", headers: { ":method": "GET", ":scheme": "http", ":path": "/", ":authority": "www.example.com" } },
  { block: "8286 84be 5808 6e6f 2d63 6163 6865", headers: { ":method": "GET", ":scheme": "http", ":path": "/", ":authority": "www.example.com", "cache-control": "no-cache" } },
  {
    block: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    headers: { ":method": "GET", ":scheme": "https", ":path": "/index.html", ":authority": "www.example.com", "custom-key": "custom-value" },
  },
];
const C4 = [
  { block: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", headers: C3[0]!.headers },
  { block: "8286 84be 5886 a8eb 1064 9cbf", headers: C3[1]!.headers },
  { block: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", headers: C3[2]!.headers },
];

describe("HpackDecoder", () => {
  for (const [name, seq] of [["C.3 (raw strings)", C3], ["C.4 (Huffman)", C4]] as const) {
    test(`decodes the RFC 7541 ${name} request sequence with one table`, () => {
      const d = new HpackDecoder();
      for (const { block, headers } of seq) expect(decode(d, hex(block))).toEqual(headers);
    });
  }

  test("evicts the oldest entries when the table fills, so later indices name the newer entries", () => {
    const d = new HpackDecoder();
    const big = "v".repeat(1500); // 3 entries of 1500 + 1 + 32 octets do not fit in 4096
    decode(d, Buffer.concat([literal("incremental", "a", big), literal("incremental", "b", big), literal("incremental", "c", big)]));
    expect(decode(d, indexed(62))).toEqual({ c: big });
    expect(decode(d, indexed(63))).toEqual({ b: big });
    expect(() => decode(d, indexed(64))).toThrow(HpackError); // "a" was evicted
  });

  test("a size update to 0 empties the table; one above the advertised 4096 is refused", () => {
    const d = new HpackDecoder();
    decode(d, literal("incremental", "x-a", "1"));
    expect(decode(d, indexed(62))).toEqual({ "x-a": "1" });
    expect(() => decode(d, Buffer.concat([sizeUpdate(0), indexed(62)]))).toThrow(HpackError);
    expect(() => new HpackDecoder().decode(sizeUpdate(8192), 0, sizeUpdate(8192).length)).toThrow(HpackError);
  });

  test("literals without indexing and never-indexed ones do not enter the table; repeated names join", () => {
    const d = new HpackDecoder();
    const block = Buffer.concat([literal("without", "x-m", "1"), literal("never", "x-m", "2", true), literal("without", 31, "application/grpc")]);
    expect(decode(d, block)).toEqual({ "x-m": "1, 2", "content-type": "application/grpc" });
    expect(() => decode(d, indexed(62))).toThrow(HpackError);
  });

  test("index 0, a truncated literal and bad Huffman padding are HpackErrors", () => {
    expect(() => decode(new HpackDecoder(), hex("80"))).toThrow(HpackError);
    expect(() => decode(new HpackDecoder(), hex("400a 6375"))).toThrow(HpackError);
    expect(() => decode(new HpackDecoder(), Buffer.concat([hex("0085"), hex("f1e3c2e5fe"), str("v")]))).toThrow(HpackError);
  });
});

describe("encodeHeaders", () => {
  test("pseudo-headers first; :status 200 is one indexed octet; the decoder reads back every field", () => {
    const block = encodeHeaders({ "content-type": "application/grpc", ":status": 200, "grpc-status": "0", "x-list": ["a", "b"] });
    expect(block[0]).toBe(0x88);
    expect(new HpackDecoder().decode(block, 0, block.length)).toEqual({ ":status": "200", "content-type": "application/grpc", "grpc-status": "0", "x-list": "a, b" });
  });

  test("never touches the decoder's table: the same block decodes the same way twice", () => {
    const block = encodeHeaders({ ":status": 415, "grpc-message": "invalid%20content-type" });
    const d = new HpackDecoder();
    const first = d.decode(block, 0, block.length);
    expect(d.decode(block, 0, block.length)).toEqual(first);
    expect(first).toEqual({ ":status": "415", "grpc-message": "invalid%20content-type" });
  });
});
