// rpc/grpc/pipe.ts: a Pipeable iterated (the Connect, gRPC-web and gateway paths) yields what its producer wrote,
// in order, then the producer's end or error; the producer is told to wait past the high-water mark and only then;
// leaving the loop early closes the sink and cancels the producer. The pool of frame buffers hands out
// power-of-two sizes and takes back only what it can reuse.
import { expect, test } from "bun:test";
import { isPipeable, type MessageSink, pipeable, pipeTo } from "../../../rpc/grpc/pipe.ts";
import { returnBuffer, takeBuffer } from "../../../rpc/grpc/frame_buffers.ts";

test("iterated: every message in order, then the end; the producer waits only when the reader is far behind", async () => {
  let waits = 0;
  const p = pipeable<number>(async (sink) => {
    for (let i = 0; i < 2000; i++) {
      const full = sink.write(i);
      if (full !== undefined) {
        waits++;
        await full;
      }
    }
  }, () => undefined);
  expect(isPipeable(p)).toBe(true);
  const got: number[] = [];
  for await (const n of p) got.push(n);
  expect(got).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  expect(waits).toBeGreaterThan(0); // 2000 synchronous writes pass the high-water mark
  expect(waits).toBeLessThan(2000);
});

test("iterated: the producer's error ends the loop after the messages written before it", async () => {
  const p = pipeable<string>(async (sink) => {
    sink.write("a");
    await Bun.sleep(1);
    sink.write("b");
    throw new Error("boom");
  }, () => undefined);
  const got: string[] = [];
  await expect((async () => {
    for await (const s of p) got.push(s);
  })()).rejects.toThrow("boom");
  expect(got).toEqual(["a", "b"]);
});

test("leaving the loop early closes the sink and cancels the producer", async () => {
  let cancelled = 0;
  let sink: MessageSink<number> | undefined;
  const p = pipeable<number>(async (s) => {
    sink = s;
    for (let i = 0; !s.closed; i++) {
      s.write(i);
      await Bun.sleep(1);
    }
  }, () => cancelled++);
  for await (const n of p) if (n === 3) break;
  expect(cancelled).toBe(1);
  expect(sink!.closed).toBe(true);
  expect(sink!.write(99)).toBeUndefined();
});

test("piped: the producer writes straight into the given sink", async () => {
  const p = pipeable<number>(async (sink) => {
    sink.write(1);
    sink.write(2);
  }, () => undefined);
  const got: number[] = [];
  await p[pipeTo]({ write: (n) => void got.push(n), closed: false });
  expect(got).toEqual([1, 2]);
});

test("frame buffers: power-of-two sizes from 4 KiB, reused after return; odd or huge ones are not pooled", () => {
  const a = takeBuffer(5000);
  expect(a.length).toBe(8192);
  expect(takeBuffer(1).length).toBe(4096);
  returnBuffer(a);
  expect(takeBuffer(8000)).toBe(a);
  expect(takeBuffer(8000)).not.toBe(a);
  const huge = takeBuffer(3 << 20);
  expect(huge.length).toBe(3 << 20);
  returnBuffer(huge);
  expect(takeBuffer(3 << 20)).not.toBe(huge);
  const view = a.subarray(4096);
  returnBuffer(view); // a view of 4 KiB is not a pooled buffer
  expect(takeBuffer(4096)).not.toBe(view);
});
