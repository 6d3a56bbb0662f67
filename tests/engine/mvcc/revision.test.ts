import { describe, expect, test } from "bun:test";
import {
  bytesToRev,
  compareRevision,
  isTombstone,
  MARKED_REV_BYTES_LEN,
  REV_BYTES_LEN,
  revisionGreaterThan,
  revToBytes,
} from "../../../engine/mvcc/revision.ts";
import { withSeed } from "../../support/random.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("revision bucket keys (etcd revToBytes / appendMarkTombstone)", () => {
  test("golden bytes: big-endian main, '_', big-endian sub", () => {
    expect(hex(revToBytes({ main: 1, sub: 0 }))).toBe("0000000000000001" + "5f" + "0000000000000000");
    expect(hex(revToBytes({ main: 0x0102030405, sub: 0x0a0b }))).toBe("0000000102030405" + "5f" + "0000000000000a0b");
    expect(hex(revToBytes({ main: 2 ** 53 - 1, sub: 127 }))).toBe("001fffffffffffff5f000000000000007f");
    expect(hex(revToBytes({ main: 5, sub: 1 }, true))).toBe("00000000000000055f000000000000000174");
  });

  test("lengths and tombstone mark", () => {
    expect(REV_BYTES_LEN).toBe(17);
    expect(MARKED_REV_BYTES_LEN).toBe(18);
    expect(isTombstone(revToBytes({ main: 3, sub: 0 }, true))).toBe(true);
    expect(isTombstone(revToBytes({ main: 3, sub: 0 }))).toBe(false);
    const wrongMark = revToBytes({ main: 3, sub: 0 }, true);
    wrongMark[17] = 0x75;
    expect(isTombstone(wrongMark)).toBe(false);
  });

  test("negative values use Go's two's complement, and decode back", () => {
    expect(hex(revToBytes({ main: -1, sub: 0 }))).toBe("ffffffffffffffff5f0000000000000000");
    expect(bytesToRev(revToBytes({ main: -2, sub: -(2 ** 40) }))).toEqual({ main: -2, sub: -(2 ** 40) });
  });

  test("decode rejects wrong lengths and values beyond 2^53", () => {
    expect(() => bytesToRev(new Uint8Array(16))).toThrow(RangeError);
    const big = revToBytes({ main: 0, sub: 0 });
    big[1] = 0x20; // 2^53
    expect(() => bytesToRev(big)).toThrow(RangeError);
  });

  test("byte order equals revision order, and decode inverts encode (seeded)", () => {
    withSeed("revision order", (rng) => {
      const pick = () => ({ main: rng.int(4) === 0 ? rng.int(3) : Math.floor(rng.next() * 2 ** 53), sub: rng.int(4) === 0 ? rng.int(3) : rng.int(2 ** 31) });
      for (let i = 0; i < 2000; i++) {
        const a = pick();
        const b = pick();
        expect(bytesToRev(revToBytes(a, i % 2 === 0))).toEqual(a);
        expect(Math.sign(Buffer.compare(revToBytes(a), revToBytes(b)))).toBe(Math.sign(compareRevision(a, b)));
        expect(revisionGreaterThan(a, b)).toBe(compareRevision(a, b) > 0);
      }
    });
  });
});
