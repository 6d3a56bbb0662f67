// Frame encoding and incremental decoding: any chunking of a byte stream yields the same messages; limits and
// flags are enforced with grpc-go's codes.
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { encodeFrame, FrameDecoder } from "../../../rpc/grpc/framing.ts";
import { Rng, testSeed } from "../../support/random.ts";

const seed = testSeed();

const msg = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe("encodeFrame", () => {
  test("writes flag 0 and a big-endian length before the payload", () => {
    expect([...encodeFrame(Uint8Array.of(7, 8, 9))]).toEqual([0, 0, 0, 0, 3, 7, 8, 9]);
    const big = encodeFrame(new Uint8Array(0x01020304 & 0xfffff));
    expect([...big.subarray(0, 5)]).toEqual([0, 0, 0x02, 0x03, 0x04]);
    expect([...encodeFrame(new Uint8Array(0))]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("FrameDecoder", () => {
  const messages = [msg(0, 1), msg(1, 2), msg(300, 3), msg(70_000, 4), msg(5, 5)];
  const wire = Buffer.concat(messages.map(encodeFrame));

  for (const size of [1, 2, 5, 7, 4096, wire.length]) {
    test(`reassembles messages from ${size}-byte chunks`, () => {
      const d = new FrameDecoder(1 << 20);
      const got: Uint8Array[] = [];
      for (let i = 0; i < wire.length; i += size) got.push(...d.push(wire.subarray(i, i + size)));
      expect(got.map((m) => Buffer.from(m).toString("hex"))).toEqual(messages.map((m) => Buffer.from(m).toString("hex")));
      expect(d.buffered).toBe(0);
    });
  }

  test(`any random chunking of many small and large messages gives them back (seed ${seed})`, () => {
    const rng = new Rng(seed);
    for (let round = 0; round < 50; round++) {
      const ms = Array.from({ length: 1 + rng.int(40) }, (_, i) => msg([0, 1, 4, 5, 6, 300, 20_000][rng.int(7)]!, i));
      const all = Buffer.concat(ms.map(encodeFrame));
      const d = new FrameDecoder(1 << 20);
      const got: Uint8Array[] = [];
      for (let i = 0; i < all.length; ) {
        const n = 1 + rng.int([3, 9, 400, 30_000][rng.int(4)]!);
        got.push(...d.push(all.subarray(i, i + n)));
        i += n;
      }
      expect(got.map((m) => Buffer.from(m).toString("hex"))).toEqual(ms.map((m) => Buffer.from(m).toString("hex")));
      expect(d.buffered).toBe(0);
    }
  });

  test("reports the bytes of an unfinished frame", () => {
    const d = new FrameDecoder(100);
    expect(d.push(encodeFrame(msg(10, 0)).subarray(0, 8))).toEqual([]);
    expect(d.buffered).toBe(8);
  });

  test("rejects a message over the limit from its header alone, with grpc-go's message", () => {
    const d = new FrameDecoder(10);
    let err: unknown;
    try {
      d.push(encodeFrame(msg(11, 0)).subarray(0, 5));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.ResourceExhausted);
    expect((err as ConnectError).rawMessage).toBe("grpc: received message larger than max (11 vs. 10)");
  });

  test("rejects compressed frames (no grpc-encoding accepted) and unknown flags", () => {
    const compressed = encodeFrame(msg(3, 0));
    compressed[0] = 1;
    expect(() => new FrameDecoder(100).push(compressed)).toThrow(expect.objectContaining({ code: Code.Unimplemented }));
    compressed[0] = 9;
    expect(() => new FrameDecoder(100).push(compressed)).toThrow(expect.objectContaining({ code: Code.Internal }));
  });
});
