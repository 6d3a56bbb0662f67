// rpc/grpc/stream_writer.ts against a fake HTTP/2 stream: messages reach the stream framed and in order however the
// bursts are cut; nothing is written during the turn that made them; at most one write is in flight; producers are
// told the stream is full past the backlog limit and let go once it drains; finish() hands over everything.
import { expect, test } from "bun:test";
import type { ServerHttp2Stream } from "node:http2";
import { EventEmitter } from "node:events";
import { FrameDecoder } from "../../../rpc/grpc/framing.ts";
import { StreamWriter } from "../../../rpc/grpc/stream_writer.ts";

/** A stream whose writes complete only when the test says so. */
class FakeStream extends EventEmitter {
  destroyed = false;
  closed = false;
  inFlight = 0;
  maxInFlight = 0;
  readonly received: Uint8Array[] = [];
  private readonly callbacks: (() => void)[] = [];
  get writableLength(): number {
    return this.callbacks.length === 0 ? 0 : this.received.at(-1)!.length;
  }
  write(chunk: Uint8Array, cb: (err?: Error | null) => void): boolean {
    this.received.push(new Uint8Array(chunk)); // a copy (Buffer.slice would be a view): what was on the wire at write time
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.callbacks.push(() => {
      this.inFlight--;
      cb(null);
    });
    return false;
  }
  /** Completes the oldest pending write. */
  complete(): boolean {
    const cb = this.callbacks.shift();
    cb?.();
    return cb !== undefined;
  }
}

const message = (i: number, n: number) => Uint8Array.from({ length: n }, (_, j) => (i + j) & 0xff);
const turn = () => new Promise((r) => setImmediate(r));

async function drain(s: FakeStream): Promise<void> {
  for (;;) {
    await turn();
    if (!s.complete()) return;
  }
}

function messagesOf(s: FakeStream): Uint8Array[] {
  const d = new FrameDecoder(1 << 30);
  return s.received.flatMap((c) => d.push(c));
}

test("bursts of any size arrive framed and in order, one write in flight, none during the turn that made them", async () => {
  const s = new FakeStream();
  const w = new StreamWriter(s as unknown as ServerHttp2Stream);
  const sent: Uint8Array[] = [];
  for (let burst = 0; burst < 5; burst++) {
    const atStart = s.received.length;
    for (let i = 0; i < 3000; i++) {
      const m = message(burst * 3000 + i, i % 100 === 99 ? 70_000 : [0, 3, 300][i % 3]!);
      sent.push(m);
      if (i % 2) w.write(m);
      else {
        const at = w.reserve(m.length); // first: it may move on to a fresh buffer
        w.buffer.set(m, at);
      }
    }
    expect(s.received.length).toBe(atStart); // nothing written during the turn that made the burst
    const before = s.received.length;
    await turn();
    expect(s.received.length).toBe(before + 1); // the first buffer went, the rest wait for its completion
    await drain(s);
  }
  expect(s.maxInFlight).toBe(1);
  const got = messagesOf(s);
  expect(got.length).toBe(sent.length);
  expect(got.findIndex((m, i) => !Buffer.from(m).equals(Buffer.from(sent[i]!)))).toBe(-1);
});

test("full past the backlog limit; released once the writes complete; finish() hands over what is left", async () => {
  const s = new FakeStream();
  const w = new StreamWriter(s as unknown as ServerHttp2Stream);
  for (let i = 0; i < 5000; i++) w.write(message(i, 300)); // ~1.5 MB in one turn
  expect(w.full).toBeInstanceOf(Promise);
  let released = false;
  void w.full!.then(() => (released = true));
  await drain(s);
  await turn();
  expect(released).toBe(true);
  expect(w.full).toBeUndefined();
  for (let i = 0; i < 10; i++) w.write(message(i, 100_000)); // over a megabyte again, then the end of the call
  w.finish();
  expect(messagesOf(s).length).toBe(5010); // all handed to the stream at once (it queues them behind its write)
});
