// One HTTP request/response exchange, independent of the HTTP version it arrived on: HTTP/1.1 (node:http
// request/response) or HTTP/2 (a node:http2 stream that is not gRPC). Connect, gRPC-web and the plain HTTP routes
// (/health, /version, /metrics, the /v3 JSON gateway) are all written against this one interface.
// Invariants: respond() once, before write()/end(); write() resolves when the transport can take more bytes.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from "node:http2";
import type { Readable } from "node:stream";
import { headersFromNode } from "../grpc/handler_context.ts";
import { MessageQueue } from "../grpc/message_queue.ts";

export interface HttpExchange {
  readonly httpVersion: "1.1" | "2";
  readonly method: string;
  /** Path and query, e.g. "/etcdserverpb.KV/Range?x=1". */
  readonly path: string;
  readonly authority: string;
  readonly header: Headers;
  readonly body: AsyncIterable<Uint8Array>;
  /** Aborts when the client goes away before the response ended. */
  readonly signal: AbortSignal;
  /** True once respond() was called. */
  readonly headersSent: boolean;
  respond(status: number, header?: Headers): void;
  write(chunk: Uint8Array): Promise<void>;
  end(chunk?: Uint8Array | string): void;
}

/** The exchange of an HTTP/1.x request. */
export function exchangeFromHttp1(req: IncomingMessage, res: ServerResponse): HttpExchange {
  const ac = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) ac.abort(new Error("client went away"));
  });
  return {
    httpVersion: "1.1",
    method: req.method ?? "GET",
    path: req.url ?? "/",
    authority: req.headers.host ?? "localhost",
    header: headersFromNode(req.headers),
    body: bodyOf(req),
    signal: ac.signal,
    get headersSent() {
      return res.headersSent;
    },
    respond(status, header) {
      res.writeHead(status, header ? nodeHeaders(header) : undefined);
    },
    write: (chunk) => writeWithBackpressure(res, chunk),
    end(chunk) {
      res.end(chunk);
    },
  };
}

/** The exchange of an HTTP/2 stream that is not a gRPC call. */
export function exchangeFromHttp2(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): HttpExchange {
  const ac = new AbortController();
  stream.on("error", () => {});
  stream.once("close", () => {
    if (!stream.writableFinished) ac.abort(new Error("client went away"));
  });
  // A client's RST_STREAM: Bun emits 'finish' before 'close', so the check above misses it; 'aborted' does not.
  stream.once("aborted", () => ac.abort(new Error("client went away")));
  return {
    httpVersion: "2",
    method: String(headers[":method"] ?? "GET"),
    path: String(headers[":path"] ?? "/"),
    authority: String(headers[":authority"] ?? headers.host ?? "localhost"),
    header: headersFromNode(headers),
    body: bodyOf(stream),
    signal: ac.signal,
    get headersSent() {
      return stream.headersSent;
    },
    respond(status, header) {
      if (stream.destroyed) return;
      const h: OutgoingHttpHeaders = header ? nodeHeaders(header) : {};
      h[":status"] = status;
      stream.respond(h);
    },
    write: (chunk) => writeWithBackpressure(stream, chunk),
    end(chunk) {
      if (!stream.destroyed) stream.end(chunk);
    },
  };
}

/** Request body chunks. Not the stream's own async iterator: that one destroys the stream when the body ends,
 *  which on HTTP/2 resets the stream before the response is written (the client then sees invalid frames). */
function bodyOf(r: Readable): AsyncIterable<Uint8Array> {
  const q = new MessageQueue<Uint8Array>(16, () => r.pause(), () => r.resume());
  r.on("data", (c: Uint8Array) => q.push(c));
  r.once("end", () => q.end());
  r.once("error", (e) => q.fail(e));
  r.once("close", () => q.fail(new Error("request body closed before its end")));
  return q;
}

function nodeHeaders(h: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  h.forEach((v, k) => (out[k] = v));
  return out;
}

interface WritableLike {
  destroyed: boolean;
  write(chunk: Uint8Array): boolean;
  once(event: "drain" | "close", fn: () => void): unknown;
  off(event: "drain" | "close", fn: () => void): unknown;
}

/** Writes a chunk, resolving when the transport can take more. Empty chunks are skipped: Bun 1.4's HTTP/2 server
 *  turns a zero-length write into a frame its own client counts as invalid (1000 of them kill the session). */
function writeWithBackpressure(w: WritableLike, chunk: Uint8Array): Promise<void> {
  if (chunk.length === 0 || w.destroyed || w.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      w.off("drain", done);
      w.off("close", done);
      resolve();
    };
    w.once("drain", done);
    w.once("close", done);
  });
}
