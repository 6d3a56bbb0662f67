// Writes the response side of one gRPC call on an HTTP/2 stream: response headers (:status 200,
// content-type application/grpc, plus any a service set), length-prefixed messages, then trailers carrying
// grpc-status / grpc-message (percent-encoded) and any trailers a service set. An error before any message is
// sent as a Trailers-Only response (one HEADERS frame with END_STREAM), as grpc-go does.
// Invariant: exactly one of sendUnary / finishOk / finishError ends the call; later calls are ignored. That first
// end is reported once to onCallDone (when set), as Canceled when the client had already gone away.
import { Code } from "@connectrpc/connect";
import type { OutgoingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { reportCall, codeName, type CallLabel, type OnCallDone } from "./call_report.ts";
import { encodeFrame, FRAME_HEADER_BYTES, writeFrameHeader } from "./framing.ts";
import { returnBuffer, takeBuffer } from "./frame_buffers.ts";
import type { FrameWriter } from "./pipe.ts";
import type { GrpcHandlerContext } from "./handler_context.ts";
import { encodeGrpcMessage, statusOf } from "./status.ts";

const WAIT_FOR_TRAILERS = { waitForTrailers: true } as const;
const END_STREAM = { endStream: true } as const;
/** A burst of streamed messages is written in buffers of at most this (or one larger message) as they fill. */
const CORK_LIMIT_BYTES = 256 * 1024;
/** Bytes queued on the HTTP/2 stream past which streaming producers are told to wait (see flush()). */
const STREAM_FULL_BYTES = 1024 * 1024;
/** Smallest cork buffer; later ones are sized after the last burst. */
const MIN_CORK_BYTES = 4096;
const NO_BYTES = new Uint8Array(0);

/** Server-wide hooks; one object shared by every call. */
export interface ResponderHooks {
  /** Told about Unknown/Internal errors (bugs, not client mistakes). */
  onInternalError?: (err: unknown) => void;
  onCallDone?: OnCallDone;
}

export class GrpcResponder implements FrameWriter {
  private ended = false;
  private headersSent = false;
  /** Framed streaming messages queued for the next write, in corked[0, corkedBytes) (see reserve()). */
  private corked: Uint8Array = NO_BYTES;
  private corkedBytes = 0;
  private nextCorkSize = MIN_CORK_BYTES;
  private flushScheduled = false;
  private drained: Promise<void> | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly ctx: GrpcHandlerContext | undefined,
    private readonly hooks: ResponderHooks,
    private readonly label: CallLabel | undefined,
  ) {
    this.startedAt = hooks.onCallDone ? performance.now() : 0;
  }

  /** False once the client went away: stop producing messages. */
  get writable(): boolean {
    return !this.ended && !this.stream.destroyed && !this.stream.closed;
  }

  /** Unary success: headers, the one message and OK trailers, in one go. */
  sendUnary(message: Uint8Array): void {
    if (!this.begin(0)) return;
    this.stream.respond(this.responseHeaders(), WAIT_FOR_TRAILERS);
    this.stream.once("wantTrailers", () => this.stream.sendTrailers(this.trailers(0, "")));
    this.stream.end(encodeFrame(message));
  }

  /**
   * Streaming: queues one message; resolves when the stream can take more (HTTP/2 flow control) or has closed.
   * Messages queued while this turn's microtasks run go out as one write (a watch fan-out produces a burst
   * per revision); a burst over CORK_LIMIT_BYTES is written at once.
   */
  write(message: Uint8Array): Promise<void> | undefined {
    if (!this.writable) return undefined;
    const at = this.reserve(message.length); // first: it may replace `corked`
    this.corked.set(message, at);
    return this.drained;
  }

  /** FrameWriter: the buffer reserve() hands out room in. */
  get buffer(): Uint8Array {
    return this.corked;
  }

  /** FrameWriter: set while the stream is full. */
  get full(): Promise<void> | undefined {
    return this.drained;
  }

  /**
   * FrameWriter: queues a framed message of `size` bytes whose body the caller writes into `buffer` at the
   * returned offset, before its next reserve() or write() and before the turn ends (that is when it is sent).
   */
  reserve(size: number): number {
    if (!this.headersSent) {
      this.headersSent = true;
      if (this.writable) this.stream.respond(this.responseHeaders(), WAIT_FOR_TRAILERS);
    }
    const framed = FRAME_HEADER_BYTES + size;
    if (this.corkedBytes + framed > this.corked.length) {
      // no room (buffers hold at most CORK_LIMIT_BYTES, or one larger message): what is queued, complete by
      // now, goes at once; this message starts a fresh buffer (none is ever copied into a larger one)
      this.flush();
      this.corked = takeBuffer(Math.max(framed, this.nextCorkSize));
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush()); // after the microtasks of this turn: a fan-out has queued its burst
    }
    const at = this.corkedBytes;
    this.corkedBytes = at + framed;
    return writeFrameHeader(this.corked, at, size);
  }

  /** Writes the queued messages as one buffer of frames; on a full stream, write() returns a wait for drain. */
  private flush(): void {
    this.flushScheduled = false;
    const n = this.corkedBytes;
    if (n === 0) return;
    const buf = this.corked;
    this.corked = NO_BYTES; // the stream holds on to buf until it is sent: the next burst takes another
    this.corkedBytes = 0;
    this.nextCorkSize = Math.min(Math.max(2 * n, MIN_CORK_BYTES), CORK_LIMIT_BYTES); // bursts that grow, grow it
    if (!this.writable) return returnBuffer(buf);
    const sent = (err?: Error | null) => {
      if (!err) returnBuffer(buf); // after an error the stream may not have let go of it
    };
    // write() is false past the stream's 64 KiB high-water mark, which one fan-out burst passes: the stream only
    // counts as full (producers wait for 'drain') past STREAM_FULL_BYTES, grpc-go's write quota scaled to bursts
    if (this.stream.write(buf.subarray(0, n), sent) || this.stream.writableLength < STREAM_FULL_BYTES || this.drained !== undefined) return;
    this.drained = new Promise((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("close", done);
        this.drained = undefined;
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("close", done);
    });
  }

  /** Streaming success: OK trailers after the messages written so far. */
  finishOk(): void {
    this.finish(0, "");
  }

  /** Ends the call with the status `err` maps to (ConnectError code + raw message; others Unknown). */
  finishError(err: unknown): void {
    const st = statusOf(err);
    if (st.code === Code.Unknown || st.code === Code.Internal) this.hooks.onInternalError?.(err);
    this.finish(st.code, st.message);
  }

  private finish(code: number, message: string): void {
    this.flush(); // messages still queued go before the trailers
    if (!this.begin(code)) return;
    if (this.headersSent) {
      this.stream.once("wantTrailers", () => this.stream.sendTrailers(this.trailers(code, message)));
      this.stream.end();
      return;
    }
    if (code === 0) {
      this.stream.respond(this.responseHeaders(), WAIT_FOR_TRAILERS);
      this.stream.once("wantTrailers", () => this.stream.sendTrailers(this.trailers(0, "")));
      this.stream.end();
      return;
    }
    const only = this.responseHeaders();
    Object.assign(only, this.trailers(code, message));
    this.stream.respond(only, END_STREAM);
  }

  /** Marks the call ended with `code` and reports it; false when it already was, or the stream is gone. */
  private begin(code: number): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.ctx?.finish();
    const live = !this.stream.destroyed && !this.stream.closed;
    const done = this.hooks.onCallDone;
    if (done && this.label) reportCall(done, this.label, codeName(live ? code : Code.Canceled), this.startedAt, "grpc", this.hooks.onInternalError);
    return live;
  }

  private responseHeaders(): OutgoingHttpHeaders {
    const h: OutgoingHttpHeaders = { ":status": 200, "content-type": "application/grpc" };
    this.ctx?.responseHeaderIfSet?.forEach((v, k) => (h[k] = v));
    return h;
  }

  private trailers(code: number, message: string): OutgoingHttpHeaders {
    const t: OutgoingHttpHeaders = { "grpc-status": String(code) };
    if (message) t["grpc-message"] = encodeGrpcMessage(message);
    this.ctx?.responseTrailerIfSet?.forEach((v, k) => (t[k] = v));
    return t;
  }
}
