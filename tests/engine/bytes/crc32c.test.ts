// CRC-32C against published check values (RFC 3720 / iSCSI) and piecewise writes equal to one write.
import { expect, test } from "bun:test";
import { Crc32c, crc32c } from "../../../engine/bytes/crc32c.ts";

test("CRC-32C check values", () => {
  expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
  expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  expect(crc32c(new Uint8Array(0))).toBe(0);
});

test("writing in pieces equals writing at once", () => {
  const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 0xff);
  for (const cut of [0, 1, 7, 8, 9, 500, 999]) {
    expect(new Crc32c().write(data.subarray(0, cut)).write(data.subarray(cut)).sum()).toBe(crc32c(data));
  }
});
