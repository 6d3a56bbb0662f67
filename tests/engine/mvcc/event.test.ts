import { expect, test } from "bun:test";
import { decodeEvent, encodeEvent, EVENT_DELETE, EVENT_PUT, type MvccEvent } from "../../../engine/mvcc/event.ts";
import { keyValue } from "../../../engine/mvcc/key_value.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (s: string) => new TextEncoder().encode(s);

// Hand-derived: type 0x08, kv 0x12, prev_kv 0x1a; an embedded message is tag, varint length, its bytes.
const golden: [string, MvccEvent, string][] = [
  ["PUT with no kv encodes to nothing", { type: EVENT_PUT }, ""],
  ["PUT with an all-default kv still carries the field", { type: EVENT_PUT, kv: keyValue({}) }, "1200"],
  ["DELETE of a at 5", { type: EVENT_DELETE, kv: keyValue({ key: bytes("a"), modRevision: 5 }) }, "0801" + "1205" + "0a0161" + "1805"],
  [
    "PUT with prev_kv",
    {
      type: EVENT_PUT,
      kv: keyValue({ key: bytes("a"), createRevision: 2, modRevision: 4, version: 2, value: bytes("y") }),
      prevKv: keyValue({ key: bytes("a"), createRevision: 2, modRevision: 2, version: 1, value: bytes("x") }),
    },
    // each embedded kv: key 3 + create 2 + mod 2 + version 2 + value 3 = 12 bytes (0x0c)
    "120c" + "0a0161100218042002" + "2a0179" + "1a0c" + "0a0161100218022001" + "2a0178",
  ],
];

for (const [name, ev, want] of golden) {
  test(`Event golden: ${name}`, () => {
    expect(hex(encodeEvent(ev))).toBe(want);
    expect(decodeEvent(Buffer.from(want, "hex"))).toEqual(ev);
  });
}

test("Event decode rejects an unknown type and truncated embedded messages", () => {
  expect(() => decodeEvent(Buffer.from("0802", "hex"))).toThrow(RangeError);
  expect(() => decodeEvent(Buffer.from("12050a01", "hex"))).toThrow(RangeError);
});
