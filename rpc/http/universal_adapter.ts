// Runs an @connectrpc/connect UniversalHandler (Connect protocol or gRPC-web, from createConnectRouter) on an
// HttpExchange: request headers/body/signal in, status/headers/body out with backpressure. Neither protocol uses
// HTTP trailers (gRPC-web carries them in the body, Connect in headers or the end-stream message), so a
// universal response's `trailer` is not expected here; gRPC itself is served by rpc/grpc/, never by this adapter.
// With onCallDone, each call is reported once when its response ended, its code read back from what was sent:
// a Connect unary error body ({"code":"invalid_argument"}), the last envelope of a stream (Connect end-stream
// JSON, gRPC-web trailer block), else the HTTP status (gRPC's HTTP→code mapping); a client gone is Canceled.
// This sees every failure, including those raised before interceptors run (read limits, undecodable requests).
// The router accepts no compression, so these bodies are never compressed.
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import { callLabel, codeName, codeNameFromConnect, reportCall, unknownMethodLabel, type CallProtocol, type OnCallDone } from "../grpc/call_report.ts";
import type { HttpExchange } from "./exchange.ts";

export async function serveUniversal(handler: UniversalHandler, ex: HttpExchange, onCallDone?: OnCallDone, onInternalError?: (err: unknown) => void): Promise<void> {
  const startedAt = onCallDone ? performance.now() : 0;
  let status = 0;
  let last: Uint8Array | undefined;
  let ended = false;
  try {
    const req: UniversalServerRequest = {
      // Connect answers bidi methods over HTTP/1.1 with 505; etcd's Watch and LeaseKeepAlive are called half duplex
      // there (browsers: send the request, end the body, read the stream; the library's connect()), so let them in.
      httpVersion: ex.httpVersion === "2" || handler.method.methodKind === "bidi_streaming" ? "2.0" : "1.1",
      url: `http://${ex.authority}${ex.path}`,
      method: ex.method,
      header: ex.header,
      body: ex.body,
      signal: ex.signal,
    };
    const res = await handler(req);
    status = res.status;
    ex.respond(res.status, res.header);
    if (res.body) {
      for await (const chunk of res.body) {
        if (ex.signal.aborted) break;
        await ex.write(chunk);
        last = chunk;
      }
    }
    ex.end();
    ended = true;
  } finally {
    if (onCallDone) {
      const protocol = protocolOf(ex);
      // A throw (handler bug, transport failure) answers 500 or nothing: Unknown, as a 500 maps to.
      const code = ex.signal.aborted ? "Canceled" : ended ? responseCode(protocol, handler.method.methodKind === "unary", status, last) : "Unknown";
      reportCall(onCallDone, callLabel(handler.method), code, startedAt, protocol, onInternalError);
    }
  }
}

/** Reports a Connect / gRPC-web request for a method nobody serves (answered 404, i.e. Unimplemented); other
 *  requests (not POST, not an RPC content type, not a "/service/method" path) are not RPCs and not reported. */
export function reportUnknownRpc(ex: HttpExchange, pathname: string, onCallDone: OnCallDone, onInternalError?: (err: unknown) => void): void {
  if (ex.method !== "POST" || !/^application\/(?:grpc-web|connect\+|proto|json)/i.test(ex.header.get("content-type") ?? "")) return;
  const label = unknownMethodLabel(pathname);
  if (label.service !== "") reportCall(onCallDone, label, "Unimplemented", performance.now(), protocolOf(ex), onInternalError);
}

function protocolOf(ex: HttpExchange): CallProtocol {
  return /^application\/grpc-web/i.test(ex.header.get("content-type") ?? "") ? "grpc-web" : "connect";
}

const CONNECT_END_STREAM = 0b10;
const GRPC_WEB_TRAILER = 0b1000_0000;
const text = new TextDecoder();

/** The code a finished response carried; `last` is its last body chunk (one envelope per chunk for streams). */
function responseCode(protocol: CallProtocol, connectUnary: boolean, status: number, last: Uint8Array | undefined): string {
  if (protocol === "connect" && connectUnary) {
    if (status === 200) return "OK";
    return last ? codeNameFromConnect(parseJson(last)?.code) : codeFromHttpStatus(status);
  }
  if (status !== 200 || !last || last.length < 5) return codeFromHttpStatus(status);
  const flags = last[0];
  if (protocol === "grpc-web" && flags & GRPC_WEB_TRAILER) {
    const m = /(?:^|\r\n)grpc-status:\s*(\d+)/i.exec(text.decode(last.subarray(5)));
    return m ? codeName(Number(m[1])) : "Unknown";
  }
  if (protocol === "connect" && flags & CONNECT_END_STREAM) {
    const error = parseJson(last.subarray(5))?.error as { code?: unknown } | undefined;
    return error ? codeNameFromConnect(error.code) : "OK";
  }
  return "Unknown";
}

function parseJson(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text.decode(bytes));
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** gRPC's (and Connect's) HTTP status → code mapping, for responses that carry no code of their own. */
function codeFromHttpStatus(status: number): string {
  if (status === 200) return "Unknown"; // 200 without a status: a truncated stream
  if (status === 400) return "Internal";
  if (status === 401) return "Unauthenticated";
  if (status === 403) return "PermissionDenied";
  if (status === 404) return "Unimplemented";
  if (status === 429 || status === 502 || status === 503 || status === 504) return "Unavailable";
  return "Unknown";
}
