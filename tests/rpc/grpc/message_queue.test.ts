// MessageQueue: order, end, failure after queued items, backpressure signals, abandonment by the consumer.
import { describe, expect, test } from "bun:test";
import { MessageQueue } from "../../../rpc/grpc/message_queue.ts";

function probe(highWater: number) {
  const log: string[] = [];
  const q = new MessageQueue<number>(highWater, () => log.push("pause"), () => log.push("resume"));
  return { q, log };
}

describe("MessageQueue", () => {
  test("delivers pushed items in order, to a waiting or a later consumer, then ends", async () => {
    const { q } = probe(10);
    q.push(1);
    const it = q[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: 1, done: false });
    const pending = it.next();
    q.push(2);
    expect(await pending).toEqual({ value: 2, done: false });
    q.push(3);
    q.end();
    q.push(4); // after end: dropped
    const rest: number[] = [];
    for await (const v of { [Symbol.asyncIterator]: () => it }) rest.push(v);
    expect(rest).toEqual([3]);
  });

  test("a failure is thrown only after the items queued before it", async () => {
    const { q } = probe(10);
    q.push(1);
    q.push(2);
    q.fail(new Error("gone"));
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const v of q) got.push(v);
      })(),
    ).rejects.toThrow("gone");
    expect(got).toEqual([1, 2]);
  });

  test("a waiting consumer is woken by end or failure", async () => {
    const a = probe(10).q;
    const pa = a[Symbol.asyncIterator]().next();
    a.end();
    expect(await pa).toEqual({ value: undefined, done: true });
    const b = probe(10).q;
    const pb = b[Symbol.asyncIterator]().next();
    b.fail(new Error("x"));
    await expect(pb).rejects.toThrow("x");
  });

  test("pauses the producer above the high-water mark and resumes it once drained", async () => {
    const { q, log } = probe(2);
    q.push(1);
    q.push(2);
    expect(log).toEqual([]);
    q.push(3);
    q.push(4);
    expect(log).toEqual(["pause"]);
    const it = q[Symbol.asyncIterator]();
    for (let i = 1; i <= 3; i++) await it.next();
    expect(log).toEqual(["pause"]);
    await it.next();
    expect(log).toEqual(["pause", "resume"]);
  });

  test("return() from the consumer closes the queue", async () => {
    const { q } = probe(10);
    q.push(1);
    for await (const _ of q) break;
    expect(q.closed).toBe(true);
    q.push(2);
    expect(await q[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
  });
});
