// The message side of a streaming gRPC response on one HTTP/2 stream (used by responder.ts): framed messages are
// corked into pooled buffers (frame_buffers.ts) of up to CORK_LIMIT_BYTES and sent once the turn that made them
// is over (setImmediate: a fan-out's unary answers, sent from microtasks, reach the wire first). At most one write
// of ours is in the stream at a time; full buffers wait here and go out one per completed write. (Bun's
// stream.write keeps the bytes until sent; a second write before then is buffered by the Writable and joined with
// the others by a copy, which a watch fan-out would pay on every burst.)
// Backpressure: the stream is "full" while more than FULL_BYTES wait (here and in the stream); producers are
// handed a promise that settles once the backlog is under half of that, or the stream closes.
// Invariants: bytes reach the stream in reserve() order; a buffer goes back to the pool only after its write
// completed without error; after finish() everything reserved before it has been handed to the stream.
import type { GrpcStream } from "./grpc_stream.ts";
import { returnBuffer, takeBuffer } from "./frame_buffers.ts";
import { FRAME_HEADER_BYTES, writeFrameHeader } from "./framing.ts";
import type { FrameWriter } from "./pipe.ts";

/** Largest cork buffer (a bigger single message gets one of its own size). */
const CORK_LIMIT_BYTES = 256 * 1024;
/** Smallest cork buffer; later ones are sized after the last burst. */
const MIN_CORK_BYTES = 4096;
/** Backlog past which producers are told to wait: grpc-go's per-stream write quota, scaled to fan-out bursts. */
const FULL_BYTES = 1024 * 1024;
const NO_BYTES = new Uint8Array(0);

export class StreamWriter implements FrameWriter {
  /** Messages being corked: corked[0, corkedBytes). */
  private corked: Uint8Array = NO_BYTES;
  private corkedBytes = 0;
  private nextCorkSize = MIN_CORK_BYTES;
  private flushScheduled = false;
  /** Corked bursts waiting for the write in progress: [pool buffer, bytes used]. */
  private readonly waiting: [Uint8Array, number][] = [];
  private waitingBytes = 0;
  private writing = false;
  private room: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(private readonly stream: GrpcStream) {
    stream.once("close", () => this.release());
  }

  private get open(): boolean {
    return !this.stream.destroyed && !this.stream.closed;
  }

  get buffer(): Uint8Array {
    return this.corked;
  }

  get full(): Promise<void> | undefined {
    return this.room?.promise;
  }

  /**
   * Queues a framed message of `size` bytes whose body the caller writes into `buffer` at the returned offset,
   * before its next reserve() and before the turn ends (when the burst is sent).
   */
  reserve(size: number): number {
    const framed = FRAME_HEADER_BYTES + size;
    if (this.corkedBytes + framed > this.corked.length) {
      // no room: the queued messages, complete by now, wait as a burst of their own; this one starts a fresh buffer
      this.park();
      this.corked = takeBuffer(Math.max(framed, this.nextCorkSize));
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After this turn, its microtasks and I/O: a fan-out has queued all its bursts, and the answers to the
      // puts that caused it (sent from microtasks) go first, so their clients can send the next while these go.
      setImmediate(() => this.flush());
    }
    const at = this.corkedBytes;
    this.corkedBytes = at + framed;
    return writeFrameHeader(this.corked, at, size);
  }

  /** Queues one encoded message. */
  write(message: Uint8Array): void {
    const at = this.reserve(message.length); // first: it may replace `corked`
    this.corked.set(message, at);
  }

  /** Sends what is corked and parked (now, or after the write in progress). */
  flush(): void {
    this.flushScheduled = false;
    this.park();
    this.next();
  }

  /** Moves the corked messages to the bursts waiting to be written. */
  private park(): void {
    const n = this.corkedBytes;
    if (n === 0) return;
    const buf = this.corked;
    this.corked = NO_BYTES;
    this.corkedBytes = 0;
    this.nextCorkSize = Math.min(Math.max(2 * n, MIN_CORK_BYTES), CORK_LIMIT_BYTES); // bursts that grow, grow it
    if (!this.open) return returnBuffer(buf);
    this.waiting.push([buf, n]);
    this.waitingBytes += n;
    if (this.room === undefined && this.waitingBytes + this.stream.writableLength > FULL_BYTES) this.room = Promise.withResolvers<void>();
  }

  /** Hands everything corked or waiting to the stream now (before its end). */
  finish(): void {
    this.flush();
    while (this.waiting.length > 0) this.writeOne(); // the stream buffers them in order behind its current write
    this.release();
  }

  private next(): void {
    if (!this.writing && this.waiting.length > 0) this.writeOne();
  }

  private writeOne(): void {
    const [buf, n] = this.waiting.shift()!;
    this.waitingBytes -= n;
    this.writing = true;
    this.stream.write(buf.subarray(0, n), (err) => {
      this.writing = false;
      if (err) return this.release(); // the stream failed: it may still hold buf, which is not reused
      returnBuffer(buf);
      if (!this.open) return this.release();
      this.next();
      if (this.room !== undefined && this.waitingBytes + this.stream.writableLength <= FULL_BYTES / 2) this.release();
    });
  }

  /** Lets waiting producers go on. */
  private release(): void {
    const r = this.room;
    this.room = undefined;
    r?.resolve();
  }
}
