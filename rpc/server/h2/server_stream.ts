// One HTTP/2 stream of an H2Connection, as the gRPC fast path sees it (rpc/grpc/grpc_stream.ts): request DATA
// comes in as 'data' events and END_STREAM as 'end'; respond() / write() / end() / sendTrailers() queue the
// response, which goes out as the peer's flow-control windows allow; close(code) resets the stream.
// Events are kept in a small listener table, not an EventEmitter: a unary call registers a handful.
// Invariants: response frames leave in call order (HEADERS, DATA..., trailers); DATA never exceeds the stream's
// or the connection's send window; a write's callback runs once its bytes were handed to the socket (with an
// error if the stream died first); the stream is closed exactly once (finish), after which it takes nothing.
import type { OutgoingHttpHeaders, ServerStreamResponseOptions } from "node:http2";
import type { GrpcStream } from "../../grpc/grpc_stream.ts";
import type { HeaderList } from "../hpack/encoder.ts";
import { DATA, FLAG_END_STREAM, NO_ERROR } from "./frames.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = ((...args: any[]) => void) & { original?: Listener };
type WriteCallback = (err?: Error | null) => void;

/** What a stream needs from its connection. */
export interface StreamOwner {
  /** Connection-level send window (shared by all streams). */
  sendWindow: number;
  /** Largest frame payload the peer accepts. */
  readonly maxFrame: number;
  /** Queues a frame whose payload is payload[start, end). */
  pushFrame(type: number, flags: number, stream: number, payload: Uint8Array, start: number, end: number): void;
  /** Queues a header list as HEADERS (+ CONTINUATION) frames. */
  pushHeaders(stream: number, headers: HeaderList, endStream: boolean): void;
  /** Queues RST_STREAM. */
  pushReset(stream: number, code: number): void;
  /** Runs cb once what is queued now has been handed to the socket (with an error if the connection closed first). */
  afterWrite(cb: (err?: Error) => void): void;
  /** The stream waits for the connection window. */
  blocked(stream: H2ServerStream): void;
  /** `n` request bytes of the stream were consumed: replenish its receive window. */
  consumed(stream: H2ServerStream, n: number): void;
  /** The stream is closed: forget it. */
  released(stream: H2ServerStream): void;
}

type Outgoing =
  | { kind: "data"; bytes: Uint8Array; at: number; cb?: WriteCallback }
  | { kind: "trailers"; headers: HeaderList }
  | { kind: "end" };

const STREAM_GONE = () => new Error("The stream was closed before its data was sent");
const WRITE_AFTER_END = () => new Error("write after end");
const NO_BYTES = new Uint8Array(0);

export class H2ServerStream implements GrpcStream {
  destroyed = false;
  closed = false;
  aborted = false;
  readableEnded = false;
  /** Response bytes queued and not yet framed. */
  writableLength = 0;
  /** Bytes the stream may still send (the peer's SETTINGS_INITIAL_WINDOW_SIZE, then its WINDOW_UPDATEs). */
  sendWindow: number;
  /** END_STREAM came from the client (it may not have been delivered yet, while paused). */
  remoteEnded = false;
  /** Request bytes consumed on this stream since its last WINDOW_UPDATE. */
  unacked = 0;
  /** Request bytes the client may still send (our window for it). */
  receiveWindow: number;
  /** end() was called, or respond() ended the stream: nothing more may be written. */
  writableEnded = false;

  private listeners: Record<string, Listener[]> | undefined;
  private paused = false;
  private held: Uint8Array[] | undefined;
  private heldEnd = false;
  private readonly queue: Outgoing[] = [];
  private localEnded = false;
  private waitForTrailers = false;
  private resetCode: number | undefined;

  constructor(
    private readonly owner: StreamOwner,
    readonly id: number,
    initialWindow: number,
    receiveWindow: number,
  ) {
    this.sendWindow = initialWindow;
    this.receiveWindow = receiveWindow;
  }

  // ---- events

  on(event: string, listener: Listener): this {
    ((this.listeners ??= {})[event] ??= []).push(listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper: Listener = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    wrapper.original = listener;
    return this.on(event, wrapper);
  }

  off(event: string, listener: Listener): this {
    const list = this.listeners?.[event];
    if (!list) return this;
    const i = list.findIndex((l) => l === listener || l.original === listener);
    if (i >= 0) list.splice(i, 1);
    return this;
  }

  private emit(event: string, arg?: unknown): void {
    const list = this.listeners?.[event];
    if (!list || list.length === 0) return;
    if (list.length === 1) return list[0]!(arg);
    for (const l of list.slice()) l(arg);
  }

  // ---- request side (called by the connection)

  /** A DATA payload for this stream; `frameLength` (with padding) counts against the receive window. */
  receive(chunk: Uint8Array, frameLength: number): void {
    if (this.paused) {
      (this.held ??= []).push(chunk);
      if (frameLength > chunk.length) this.owner.consumed(this, frameLength - chunk.length); // padding: consumed now
      return;
    }
    this.emit("data", chunk);
    this.owner.consumed(this, frameLength);
  }

  /** END_STREAM from the client. */
  endRemote(): void {
    this.remoteEnded = true;
    if (this.paused) this.heldEnd = true;
    else this.deliverEnd();
    this.maybeFinish();
  }

  /** RST_STREAM from the client, or the connection went away. */
  reset(): void {
    this.finish(true);
  }

  /** A stream error (RFC 9113 section 5.4.2): RST_STREAM with `code` now, dropping what is queued. */
  resetNow(code: number): void {
    if (this.closed) return;
    this.owner.pushReset(this.id, code);
    this.finish(true);
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    if (!this.paused) return this;
    this.paused = false;
    const held = this.held;
    this.held = undefined;
    for (const chunk of held ?? []) {
      if (this.closed) return this;
      this.emit("data", chunk);
      this.owner.consumed(this, chunk.length);
    }
    if (this.heldEnd && !this.closed) {
      this.heldEnd = false;
      this.deliverEnd();
    }
    return this;
  }

  private deliverEnd(): void {
    this.readableEnded = true;
    this.emit("end");
  }

  // ---- response side

  respond(headers: OutgoingHttpHeaders = {}, options?: ServerStreamResponseOptions): void {
    if (this.closed || this.writableEnded) return;
    const endStream = options?.endStream === true;
    if (endStream) this.writableEnded = true;
    this.waitForTrailers = options?.waitForTrailers === true;
    this.owner.pushHeaders(this.id, headers, endStream);
    if (endStream) {
      this.localEnded = true;
      this.maybeFinish();
    }
  }

  write(chunk: Uint8Array, callback?: WriteCallback): boolean {
    if (this.closed || this.writableEnded) {
      if (callback) queueMicrotask(() => callback(this.closed ? STREAM_GONE() : WRITE_AFTER_END()));
      return false;
    }
    this.enqueue(chunk, callback);
    this.pump();
    return true;
  }

  end(chunk?: Uint8Array): this {
    if (this.closed || this.writableEnded) return this;
    this.writableEnded = true;
    if (chunk && chunk.length > 0) this.enqueue(chunk);
    if (this.waitForTrailers) {
      this.waitForTrailers = false;
      this.emit("wantTrailers");
    } else this.queue.push({ kind: "end" });
    this.pump();
    return this;
  }

  private enqueue(bytes: Uint8Array, cb?: WriteCallback): void {
    this.queue.push({ kind: "data", bytes, at: 0, cb });
    this.writableLength += bytes.length;
  }

  sendTrailers(headers: OutgoingHttpHeaders): void {
    if (this.closed) return;
    this.queue.push({ kind: "trailers", headers });
    this.pump();
  }

  /** Resets the stream with `code` once what is queued has gone out (at once if nothing is). */
  close(code: number = NO_ERROR): void {
    if (this.closed) return;
    this.resetCode = code;
    this.pump();
  }

  /** Frames queued output as far as the windows allow; called again on WINDOW_UPDATE and SETTINGS. */
  pump(): void {
    const o = this.owner;
    while (this.queue.length > 0 && !this.closed) {
      const item = this.queue[0]!;
      if (item.kind === "data") {
        const rest = item.bytes.length - item.at;
        if (rest > 0) {
          const n = Math.min(rest, this.sendWindow, o.sendWindow, o.maxFrame);
          if (n <= 0) return o.blocked(this);
          o.pushFrame(DATA, 0, this.id, item.bytes, item.at, item.at + n);
          item.at += n;
          this.sendWindow -= n;
          o.sendWindow -= n;
          this.writableLength -= n;
          if (item.at < item.bytes.length) continue;
        }
        this.queue.shift();
        const cb = item.cb;
        if (cb) o.afterWrite(cb);
      } else {
        this.queue.shift();
        if (item.kind === "trailers") o.pushHeaders(this.id, item.headers, true);
        else o.pushFrame(DATA, FLAG_END_STREAM, this.id, NO_BYTES, 0, 0);
        this.localEnded = true;
      }
    }
    if (this.closed) return;
    if (this.resetCode !== undefined) {
      o.pushReset(this.id, this.resetCode);
      return this.finish(false);
    }
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.localEnded && this.remoteEnded && this.queue.length === 0) this.finish(false);
  }

  /** Closes the stream once: fails writes still queued, emits 'aborted' (when reset early) and 'close'. */
  private finish(aborted: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.destroyed = true;
    this.aborted = aborted && !(this.localEnded && this.remoteEnded);
    this.owner.released(this);
    for (const item of this.queue.splice(0)) if (item.kind === "data" && item.cb) item.cb(STREAM_GONE());
    this.writableLength = 0;
    this.held = undefined;
    if (this.aborted) this.emit("aborted");
    this.emit("close");
  }
}
