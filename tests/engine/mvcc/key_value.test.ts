import { describe, expect, test } from "bun:test";
import { spawnSync } from "bun";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeKeyValue, encodeKeyValue, type KeyValue, keyValue } from "../../../engine/mvcc/key_value.ts";
import { type Rng, withSeed } from "../../support/random.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (s: string) => new TextEncoder().encode(s);

// Golden vectors derived by hand from the protobuf wire format: tag = field << 3 | wire type
// (key 0x0a, create_revision 0x10, mod_revision 0x18, version 0x20, value 0x2a, lease 0x30), varint
// little-endian base 128, proto3 defaults omitted, fields in number order (gogo's MarshalTo).
const golden: [string, KeyValue, string][] = [
  ["all defaults encode to nothing", keyValue({}), ""],
  ["a tombstone's value: the key only", keyValue({ key: bytes("foo") }), "0a03666f6f"],
  [
    "put foo=bar at 3, created 2, version 1",
    keyValue({ key: bytes("foo"), createRevision: 2, modRevision: 3, version: 1, value: bytes("bar") }),
    "0a03666f6f" + "1002" + "1803" + "2001" + "2a03626172",
  ],
  ["300 is ac 02", keyValue({ modRevision: 300 }), "18ac02"],
  ["2^53-1 takes 8 bytes", keyValue({ createRevision: 2 ** 53 - 1 }), "10ffffffffffffff0f"],
  ["lease 1", keyValue({ key: bytes("k"), lease: 1n }), "0a016b3001"],
  ["int64 max lease", keyValue({ lease: 0x7fffffffffffffffn }), "30ffffffffffffffff7f"],
  ["negative lease takes 10 bytes", keyValue({ lease: -1n }), "30ffffffffffffffffff01"],
  ["negative version (two's complement)", keyValue({ version: -2 }), "20feffffffffffffffff01"],
  // An etcd-style lease id (member bits + time), well above 2^53; varint computed 7 bits at a time.
  ["empty value omitted, lease kept", keyValue({ key: bytes("a"), value: new Uint8Array(0), lease: 0x694d77a85c3e7c05n }), "0a0161" + "3085f8f9e185f5dda669"],
];

describe("mvccpb.KeyValue codec", () => {
  for (const [name, kv, want] of golden) {
    test(`golden: ${name}`, () => {
      expect(hex(encodeKeyValue(kv))).toBe(want);
      expect(decodeKeyValue(Buffer.from(want, "hex"))).toEqual(kv);
    });
  }

  test("a 200-byte value has a 2-byte length", () => {
    const kv = keyValue({ value: new Uint8Array(200).fill(7) });
    const enc = encodeKeyValue(kv);
    expect(hex(enc.subarray(0, 3))).toBe("2ac801");
    expect(enc.length).toBe(203);
  });

  test("decode skips unknown fields of every wire type and lets the last repeated field win", () => {
    // field 7 varint 5; field 8 fixed64; field 9 bytes "zz"; field 10 fixed32; key "a" twice.
    const wire = "0a0162" + "3805" + "410102030405060708" + "4a027a7a" + "5501020304" + "0a0161" + "1807";
    expect(decodeKeyValue(Buffer.from(wire, "hex"))).toEqual(keyValue({ key: bytes("a"), modRevision: 7 }));
  });

  test("decode rejects truncated input and field number 0", () => {
    for (const bad of ["0a05666f", "18", "18ff", "0a", "0001", "18ffffffffffffffffffff01"]) {
      expect(() => decodeKeyValue(Buffer.from(bad, "hex"))).toThrow(RangeError);
    }
  });

  test("decode rejects an int64 revision beyond 2^53 (0x20000000000000)", () => {
    expect(() => decodeKeyValue(Buffer.from("1880808080808080" + "10", "hex"))).toThrow(RangeError);
  });

  test("decoded key and value are views of the input", () => {
    const buf = Buffer.from("0a03666f6f2a03626172", "hex");
    const kv = decodeKeyValue(buf);
    expect(kv.key.buffer).toBe(buf.buffer);
    expect(new TextDecoder().decode(kv.value)).toBe("bar");
  });

  test("round trip (seeded)", () => {
    withSeed("KeyValue round trip", (rng) => {
      for (let i = 0; i < 3000; i++) {
        const kv = randomKeyValue(rng);
        expect(decodeKeyValue(encodeKeyValue(kv))).toEqual(kv);
      }
    });
  });

  const protoc = Bun.which("protoc");
  test.skipIf(protoc === null)("byte-equal to protoc --encode on random KeyValues (seeded)", () => {
    const dir = mkdtempSync(join(tmpdir(), "mvccpb-"));
    writeFileSync(join(dir, "kv.proto"), KV_PROTO);
    withSeed("protoc cross-check", (rng) => {
      for (let i = 0; i < 40; i++) {
        const kv = randomKeyValue(rng);
        const r = spawnSync([protoc as string, `-I${dir}`, "--encode=mvccpb.KeyValue", "kv.proto"], { stdin: Buffer.from(toTextFormat(kv)), cwd: dir });
        expect(r.exitCode).toBe(0);
        expect(hex(encodeKeyValue(kv))).toBe(hex(r.stdout));
      }
    });
  });
});

/** etcd's mvcc/mvccpb/kv.proto, message KeyValue, without the gogoproto options. */
const KV_PROTO = `syntax = "proto3";
package mvccpb;
message KeyValue {
  bytes key = 1;
  int64 create_revision = 2;
  int64 mod_revision = 3;
  int64 version = 4;
  bytes value = 5;
  int64 lease = 6;
}
`;

function octal(b: Uint8Array): string {
  return [...b].map((x) => "\\" + x.toString(8).padStart(3, "0")).join("");
}

function toTextFormat(kv: KeyValue): string {
  return `key: "${octal(kv.key)}" create_revision: ${kv.createRevision} mod_revision: ${kv.modRevision} version: ${kv.version} value: "${octal(kv.value)}" lease: ${kv.lease}\n`;
}

function randomInt64(rng: Rng): number {
  switch (rng.int(4)) {
    case 0:
      return 0;
    case 1:
      return rng.int(200);
    case 2:
      return Math.floor(rng.next() * 2 ** 53);
    default:
      return -Math.floor(rng.next() * 2 ** 53);
  }
}

function randomBytes(rng: Rng, max: number): Uint8Array {
  const b = new Uint8Array(rng.int(max + 1));
  for (let i = 0; i < b.length; i++) b[i] = rng.int(256);
  return b;
}

function randomKeyValue(rng: Rng): KeyValue {
  const lease = rng.int(3) === 0 ? 0n : BigInt.asIntN(64, (BigInt(rng.int(2 ** 32)) << 32n) | BigInt(rng.int(2 ** 32)));
  return {
    key: randomBytes(rng, 40),
    createRevision: randomInt64(rng),
    modRevision: randomInt64(rng),
    version: randomInt64(rng),
    value: randomBytes(rng, rng.int(10) === 0 ? 300 : 20),
    lease,
  };
}
