// ClientFrameFilter: the client-to-server byte filter of an h2c connection. Frames other than header frames and
// blocks that need no change pass octet for octet (a chunk without header frames as the same Buffer); a block
// with a refused `:authority` is re-emitted as one HEADERS frame (padding dropped, priority and END_STREAM kept,
// CONTINUATIONs only past 16384 octets); the result does not depend on how the input is chunked; anything
// malformed turns the filter into a pass-through.
import { describe, expect, test } from "bun:test";
import { ClientFrameFilter, encodeHeaderFrames, MAX_EMITTED_PAYLOAD } from "../../../rpc/server/h2_client_frames.ts";
import { FLAG, FRAME, frame, indexed, literal, PREFACE } from "./support/hpack_builder.ts";

const BAD = "http://127.0.0.1:2379";
const GOOD = "127.0.0.1:00000002379";
const settings = frame(FRAME.SETTINGS, 0, 0, Buffer.alloc(6));
const windowUpdate = frame(FRAME.WINDOW_UPDATE, 0, 0, Buffer.from([0, 1, 0, 0]));
const data = (id: number, n = 40) => frame(FRAME.DATA, FLAG.END_STREAM, id, Buffer.alloc(n, 7));
/** A request's header block; the authority is Huffman-coded as clients send it, raw as the filter rewrites it. */
const requestBlock = (authority: string, marker: string, huffman = true) =>
  Buffer.concat([indexed(3), indexed(6), literal("without", 4, "/x"), literal("incremental", 1, authority, huffman), literal("without", "x-marker", marker)]);
const headers = (id: number, block: Buffer, flags: number = FLAG.END_HEADERS) => frame(FRAME.HEADERS, flags, id, block);

/** Runs `input` through a new filter in chunks of the given sizes (cycled); returns emitted buffers. */
function run(input: Buffer, chunkSizes: number[] = [input.length]): Buffer[] {
  const filter = new ClientFrameFilter();
  const out: Buffer[] = [];
  for (let pos = 0, i = 0; pos < input.length; i++) {
    const n = chunkSizes[i % chunkSizes.length]!;
    filter.push(input.subarray(pos, pos + n), (b) => out.push(b));
    pos += n;
  }
  return out;
}

const CHUNKINGS = [[1], [2, 3, 5, 7], [9], [4096]];

describe("ClientFrameFilter", () => {
  test("a chunk without header frames is handed on as the same Buffer", () => {
    const filter = new ClientFrameFilter();
    const first = Buffer.concat([PREFACE, settings, windowUpdate]);
    const second = Buffer.concat([data(1), frame(FRAME.PING, 0, 0, Buffer.alloc(8))]);
    const out: Buffer[] = [];
    filter.push(first, (b) => out.push(b));
    filter.push(second, (b) => out.push(b));
    expect(out.length).toBe(2);
    expect(out[0]).toBe(first);
    expect(out[1]).toBe(second);
  });

  test("a DATA payload spanning chunks passes without being held", () => {
    const big = data(1, 1000);
    const input = Buffer.concat([PREFACE, settings, big]);
    const out = run(input, [100]);
    expect(Buffer.concat(out)).toEqual(input);
    expect(out.every((b) => b.length <= 100)).toBe(true);
  });

  test("header blocks that need no change pass octet for octet, padding and CONTINUATIONs included", () => {
    const block = requestBlock("127.0.0.1:2379", "m1");
    const padded = frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.PADDED, 3, Buffer.concat([Buffer.from([4]), indexed(2), Buffer.alloc(4)]));
    const input = Buffer.concat([
      PREFACE, settings,
      frame(FRAME.HEADERS, 0, 1, block.subarray(0, 5)), frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, block.subarray(5)),
      data(1), padded, data(3),
    ]);
    for (const sizes of CHUNKINGS) expect(Buffer.concat(run(input, sizes))).toEqual(input);
  });

  test("rewrites a refused authority in any chunking: HEADERS, padded+priority, and CONTINUATION-split blocks", () => {
    const b1 = requestBlock(BAD, "m1");
    const b3 = Buffer.concat([indexed(62), literal("without", 4, "/y")]); // reuses the (rewritten) dynamic entry
    const b5 = requestBlock("passthrough:///" + BAD, "m5");
    const priority = Buffer.from([0, 0, 0, 1, 15]);
    const paddedPriority = (block: Buffer) => Buffer.concat([Buffer.from([3]), priority, block, Buffer.alloc(3)]);
    const input = Buffer.concat([
      PREFACE, settings,
      headers(1, b1), data(1),
      headers(3, b3, FLAG.END_HEADERS | FLAG.END_STREAM),
      frame(FRAME.HEADERS, FLAG.PADDED | FLAG.PRIORITY, 5, paddedPriority(b5.subarray(0, 7))),
      frame(FRAME.CONTINUATION, 0, 5, b5.subarray(7, 9)),
      frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 5, b5.subarray(9)),
      data(5),
    ]);
    const expected = Buffer.concat([
      PREFACE, settings,
      headers(1, requestBlock(GOOD, "m1", false)), data(1),
      headers(3, b3, FLAG.END_HEADERS | FLAG.END_STREAM),
      frame(FRAME.HEADERS, FLAG.PRIORITY | FLAG.END_HEADERS, 5, Buffer.concat([priority, requestBlock("127.0.0.1:" + "0".repeat(22) + "2379", "m5", false)])),
      data(5),
    ]);
    for (const sizes of CHUNKINGS) expect(Buffer.concat(run(input, sizes))).toEqual(expected);
  });

  test("a rewritten block larger than 16384 octets goes out as HEADERS + CONTINUATIONs", () => {
    const block = Buffer.concat([requestBlock(BAD, "m"), literal("without", "x-big", "v".repeat(40_000))]);
    const frames = encodeHeaderFrames(1, FLAG.END_STREAM, null, block);
    const lengths: number[] = [];
    const types: number[] = [];
    for (let pos = 0; pos < frames.length; pos += 9 + lengths.at(-1)!) {
      lengths.push(frames.readUIntBE(pos, 3));
      types.push(frames[pos + 3]!);
    }
    expect(types).toEqual([FRAME.HEADERS, FRAME.CONTINUATION, FRAME.CONTINUATION]);
    expect(lengths.slice(0, 2)).toEqual([MAX_EMITTED_PAYLOAD, MAX_EMITTED_PAYLOAD]);
    const input = Buffer.concat([PREFACE, frame(FRAME.HEADERS, 0, 1, block.subarray(0, 16000)), frame(FRAME.CONTINUATION, 0, 1, block.subarray(16000, 32000)), frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, block.subarray(32000))]);
    const fixed = Buffer.concat([requestBlock(GOOD, "m", false), literal("without", "x-big", "v".repeat(40_000))]);
    expect(Buffer.concat(run(input, [1000]))).toEqual(Buffer.concat([PREFACE, encodeHeaderFrames(1, 0, null, fixed)]));
  });

  test("after an HPACK error everything passes untouched, later refused authorities included", () => {
    const input = Buffer.concat([PREFACE, headers(1, indexed(99)), headers(3, requestBlock(BAD, "m3"))]);
    for (const sizes of CHUNKINGS) expect(Buffer.concat(run(input, sizes))).toEqual(input);
  });

  test("a frame inside an open header block (a protocol error) makes the filter pass everything as sent", () => {
    const block = requestBlock(BAD, "m1");
    const input = Buffer.concat([PREFACE, frame(FRAME.HEADERS, 0, 1, block.subarray(0, 4)), data(1), frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, block.subarray(4))]);
    for (const sizes of CHUNKINGS) expect(Buffer.concat(run(input, sizes))).toEqual(input);
  });
});
