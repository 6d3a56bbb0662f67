// The part of an HTTP/2 server stream the gRPC fast path uses (grpc_handler, responder, request_reader,
// handler_context, stream_writer). node:http2's ServerHttp2Stream has it, and so has rpc/server/h2's own stream,
// which serves the connections whose first request is gRPC without node:http2's per-stream machinery.
// Events used: 'data' (request bytes), 'end' (client half-closed), 'aborted' (reset before the end), 'close',
// 'error' and 'wantTrailers' (after end() on a stream responded to with waitForTrailers).
import type { OutgoingHttpHeaders, ServerStreamResponseOptions } from "node:http2";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export interface GrpcStream {
  readonly destroyed: boolean;
  readonly closed: boolean;
  readonly aborted: boolean;
  readonly readableEnded: boolean;
  /** Response bytes accepted by write() but not yet sent (flow control, a slow socket). */
  readonly writableLength: number;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  respond(headers?: OutgoingHttpHeaders, options?: ServerStreamResponseOptions): void;
  write(chunk: Uint8Array, callback?: (err?: Error | null) => void): boolean;
  end(chunk?: Uint8Array): unknown;
  sendTrailers(headers: OutgoingHttpHeaders): void;
  close(code?: number): void;
  pause(): unknown;
  resume(): unknown;
}
