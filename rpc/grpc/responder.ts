// Writes the response side of one gRPC call on an HTTP/2 stream: response headers (:status 200,
// content-type application/grpc, plus any a service set), length-prefixed messages, then trailers carrying
// grpc-status / grpc-message (percent-encoded) and any trailers a service set. An error before any message is
// sent as a Trailers-Only response (one HEADERS frame with END_STREAM), as grpc-go does. Streamed messages go
// through a StreamWriter (corked, pooled, one write in flight); it is also the FrameWriter hot producers encode into.
// Invariant: exactly one of sendUnary / finishOk / finishError ends the call; later calls are ignored. That first
// end is reported once to onCallDone (when set), as Canceled when the client had already gone away.
import { Code, type ConnectError } from "@connectrpc/connect";
import type { OutgoingHttpHeaders, ServerStreamResponseOptions } from "node:http2";
import type { GrpcStream } from "./grpc_stream.ts";
import { reportCall, codeName, type CallLabel, type OnCallDone } from "./call_report.ts";
import { encodeFrame } from "./framing.ts";
import type { FrameWriter } from "./pipe.ts";
import { StreamWriter } from "./stream_writer.ts";
import type { GrpcHandlerContext } from "./handler_context.ts";
import { encodeGrpcMessage, statusOf } from "./status.ts";

// sendDate: false — grpc-go sends no date header, and node:http2 would format one per response
const WAIT_FOR_TRAILERS = { waitForTrailers: true, sendDate: false } as ServerStreamResponseOptions;
const END_STREAM = { endStream: true, sendDate: false } as ServerStreamResponseOptions;
const NO_ERROR = 0; // HTTP/2 RST_STREAM code

/** Server-wide hooks; one object shared by every call. */
export interface ResponderHooks {
  /** Told about Unknown/Internal errors (bugs, not client mistakes). */
  onInternalError?: (err: unknown) => void;
  onCallDone?: OnCallDone;
}

export class GrpcResponder implements FrameWriter {
  private ended = false;
  private headersSent = false;
  /** The streamed messages' writer, made with the response headers. */
  private messages: StreamWriter | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly stream: GrpcStream,
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
    this.endWithTrailers(0, "", encodeFrame(message));
  }

  /**
   * Streaming: queues one message; a promise while the stream is full (see stream_writer.ts). Messages queued in
   * one turn go out as one write (a watch fan-out produces a burst per revision).
   */
  write(message: Uint8Array): Promise<void> | undefined {
    if (!this.writable) return undefined;
    const w = this.writer();
    w.write(message);
    return w.full;
  }

  /** FrameWriter: the buffer reserve() hands out room in. */
  get buffer(): Uint8Array {
    return this.writer().buffer;
  }

  /** FrameWriter: set while the stream is full. */
  get full(): Promise<void> | undefined {
    return this.messages?.full;
  }

  /** FrameWriter: queues a framed message of `size` bytes; the caller writes it into `buffer` at the offset. */
  reserve(size: number): number {
    return this.writer().reserve(size);
  }

  /** The message writer, sending the response headers first. */
  private writer(): StreamWriter {
    if (this.messages === undefined) {
      this.headersSent = true;
      if (this.writable) this.stream.respond(this.responseHeaders(), WAIT_FOR_TRAILERS);
      this.messages = new StreamWriter(this.stream);
    }
    return this.messages;
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

  /** The call's deadline passed: ends it with err's status, which is not a server fault (not reported as internal). */
  endAtDeadline(err: ConnectError): void {
    this.finish(err.code, err.rawMessage);
  }

  private finish(code: number, message: string): void {
    this.messages?.finish(); // messages still queued go before the trailers
    if (!this.begin(code)) return;
    if (this.headersSent || code === 0) return this.endWithTrailers(code, message);
    const only = this.responseHeaders();
    Object.assign(only, this.trailers(code, message));
    this.stream.respond(only, END_STREAM);
    this.releaseRequestSide();
  }

  /** Headers (unless sent), the last bytes if any, then trailers with the status once the stream asks for them. */
  private endWithTrailers(code: number, message: string, last?: Uint8Array): void {
    if (!this.headersSent) this.stream.respond(this.responseHeaders(), WAIT_FOR_TRAILERS);
    this.stream.once("wantTrailers", () => {
      this.stream.sendTrailers(this.trailers(code, message));
      this.releaseRequestSide();
    });
    this.stream.end(last);
  }

  /**
   * After the status went out while the client is still sending (a stream ended by the server: deadline, error),
   * resets the stream with NO_ERROR, as grpc-go does, so neither side keeps a half-open stream around.
   */
  private releaseRequestSide(): void {
    if (!this.stream.readableEnded && !this.stream.destroyed) this.stream.close(NO_ERROR);
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
