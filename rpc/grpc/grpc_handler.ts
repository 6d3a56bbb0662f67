// Serves gRPC (HTTP/2, content-type application/grpc[+proto]) directly on HTTP/2 streams (GrpcStream: our own
// rpc/server/h2 streams, or node:http2 ones): looks the path up in the MethodTable and runs the service
// implementation for each of the four method kinds. Unary calls take a synchronous fast path when the
// implementation returns a plain value (no promise, no iterator machinery); the streaming kinds use async
// iterables in both directions with HTTP/2 flow control as backpressure.
// Errors thrown by implementations reach the client as grpc-status/grpc-message unchanged (see responder.ts).
// onCallDone hears of each call once, when the responder ends it (unknown methods too). A unary or server-streaming
// call whose client goes away before its request arrived never starts and is not reported.
import { create, isMessage, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { IncomingHttpHeaders } from "node:http2";
import type { GrpcStream } from "./grpc_stream.ts";
import { unknownMethodLabel, type OnCallDone } from "./call_report.ts";
import { fastEncoderFor } from "./fast_encoders.ts";
import { GrpcHandlerContext } from "./handler_context.ts";
import type { GrpcMethod, MethodTable } from "./method_table.ts";
import { isPipeable, pipeTo } from "./pipe.ts";
import { decodeRequest, readMessageStream, readSingleMessage } from "./request_reader.ts";
import { GrpcResponder } from "./responder.ts";
import { parseGrpcTimeout } from "./status.ts";

export interface GrpcHandlerOptions {
  /** Largest request message accepted (grpc-go's MaxRecvMsgSize); larger ones fail with ResourceExhausted. */
  maxRecvBytes: number;
  /** Aborted when the server shuts down; reaches implementations through ctx.signal. */
  shutdown: AbortSignal;
  /** Told about Unknown/Internal errors (bugs, not client mistakes), e.g. for logging. */
  onInternalError?: (err: unknown) => void;
  /** Told once about every call when it ends, unknown methods included (see call_report.ts). */
  onCallDone?: OnCallDone;
}

const noop = () => {};
/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 0x7fffffff;

export class GrpcHandler {
  constructor(
    private readonly methods: MethodTable,
    private readonly opts: GrpcHandlerOptions,
  ) {}

  /** Serves one gRPC call; never throws (every failure becomes a gRPC status on the stream). */
  handle(stream: GrpcStream, headers: IncomingHttpHeaders): void {
    stream.on("error", noop); // resets by the client surface as 'close'; an unhandled 'error' would crash the server
    const path = headers[":path"] ?? "";
    const method = this.methods.get(path);
    const timeout = parseGrpcTimeout(headers["grpc-timeout"]);
    if (!method) {
      const label = this.opts.onCallDone ? unknownMethodLabel(path) : undefined;
      new GrpcResponder(stream, undefined, this.opts, label).finishError(this.unknownMethod(path));
      stream.resume();
      return;
    }
    const ctx = new GrpcHandlerContext(method.service, method.spec.method, stream, headers, timeout, this.opts.shutdown);
    const res = new GrpcResponder(stream, ctx, this.opts, method.label);
    const fail = (e: unknown) => res.finishError(e);
    // Runs the implementation and sends what it produced: an async iterable (server/bidi streaming) is pumped,
    // a promise (async unary, client streaming) awaited, a plain value (sync unary: the fast path) sent at once.
    const start = (invoke: () => unknown) => {
      let out: unknown;
      try {
        out = invoke();
      } catch (e) {
        return fail(e);
      }
      if (isAsyncIterable(out)) void pump(res, method, out);
      else if (isThenable(out)) out.then((r) => sendUnary(res, method, r), fail);
      else sendUnary(res, method, out);
    };
    const { kind, impl, method: desc } = method.spec;
    if (timeout !== undefined && kind !== "unary") expireAtDeadline(stream, ctx, res, timeout);
    const call = impl as (request: unknown, context: GrpcHandlerContext) => unknown;
    const max = this.opts.maxRecvBytes;
    if (kind === "unary" || kind === "server_streaming") {
      readSingleMessage(stream, max, (bytes) => start(() => call(decodeRequest(desc.input, bytes), ctx)), fail);
    } else {
      start(() => call(readMessageStream(stream, desc.input, max), ctx));
    }
  }

  /** grpc-go's wording for a path that names no registered method. */
  private unknownMethod(path: string): ConnectError {
    const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
    if (!m) return new ConnectError(`malformed method name: "${path}"`, Code.Unimplemented);
    if (!this.methods.hasService(m[1])) return new ConnectError(`unknown service ${m[1]}`, Code.Unimplemented);
    return new ConnectError(`unknown method ${m[2]} for service ${m[1]}`, Code.Unimplemented);
  }
}

/**
 * A streaming call still running at its grpc-timeout ends there, as on etcd: grpc-go cancels the stream's context at
 * the deadline and etcd's Watch and LeaseKeepAlive handlers return ctx.Err(), which grpc-go sends as Unknown
 * "context deadline exceeded" (checked against etcd 3.4.23; its handlers race that against the receive loop's own
 * DeadlineExceeded, which wins now and then). Unary calls have no timer: their waits take the deadline from ctx.
 */
function expireAtDeadline(stream: GrpcStream, ctx: GrpcHandlerContext, res: GrpcResponder, ms: number): void {
  // grpc-timeout reaches 99999999H; a timer longer than 2^31-1 ms (~24.8 days) would fire at once, so none is set
  if (ms > MAX_TIMER_MS) return;
  const timer = setTimeout(() => {
    const err = new ConnectError("context deadline exceeded", Code.Unknown);
    ctx.expire(err);
    res.endAtDeadline(err);
  }, ms);
  stream.once("close", () => clearTimeout(timer));
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
}

/** Serializes a response (a message, or an init object as connect allows) for `schema`. */
function encodeResponse(schema: DescMessage, value: unknown): Uint8Array {
  const msg = isMessage(value, schema) ? value : create(schema, value as MessageInitShape<DescMessage>);
  const fast = fastEncoderFor(schema);
  return fast !== undefined && msg.$unknown === undefined ? fast(msg) : toBinary(schema, msg);
}

function sendUnary(res: GrpcResponder, method: GrpcMethod, value: unknown): void {
  let bytes: Uint8Array;
  try {
    bytes = encodeResponse(method.spec.method.output, value);
  } catch (e) {
    return res.finishError(new ConnectError(`grpc: error while marshaling: ${e instanceof Error ? e.message : String(e)}`, Code.Internal));
  }
  res.sendUnary(bytes);
}

/** Streams every response of `out` to the client, waiting on flow control; stops early if the client goes away. */
async function pump(res: GrpcResponder, method: GrpcMethod, out: AsyncIterable<unknown>): Promise<void> {
  const schema = method.spec.method.output;
  try {
    if (isPipeable(out)) {
      // the service pushes: its messages are encoded and corked as it writes them (see pipe.ts)
      await out[pipeTo]({
        write(value) {
          try {
            return res.write(encodeResponse(schema, value));
          } catch (e) {
            res.finishError(e); // the producer may be deep in someone else's call (a store notify): never throw there
            return undefined;
          }
        },
        frames: res,
        get closed() {
          return !res.writable;
        },
      });
    } else {
      for await (const value of out) {
        const wait = res.write(encodeResponse(schema, value));
        if (wait) await wait;
        if (!res.writable) break; // client gone: leaving the loop runs the implementation's finally blocks
      }
    }
    res.finishOk();
  } catch (e) {
    res.finishError(e);
  }
}

