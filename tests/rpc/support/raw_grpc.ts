// A raw gRPC-over-HTTP/2 client for tests that must control the exact bytes: sends a request body as given
// (framed or deliberately malformed) and returns response headers, the raw DATA bytes and the trailers
// (for a Trailers-Only response, the status fields are in `headers`).
import { connect, type ClientHttp2Session, type IncomingHttpHeaders, type IncomingHttpStatusHeader } from "node:http2";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";

export interface RawGrpcResult {
  headers: IncomingHttpHeaders & IncomingHttpStatusHeader;
  data: Buffer;
  trailers: IncomingHttpHeaders;
  /** grpc-status from trailers, or from headers for Trailers-Only. */
  status: string | undefined;
  message: string | undefined;
}

export function rawGrpcCall(session: ClientHttp2Session, path: string, body: Uint8Array, extraHeaders: Record<string, string> = {}): Promise<RawGrpcResult> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...extraHeaders });
    let headers: IncomingHttpHeaders & IncomingHttpStatusHeader = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on("response", (h) => (headers = h));
    req.on("trailers", (t) => (trailers = t));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      const src = trailers["grpc-status"] !== undefined ? trailers : headers;
      resolve({
        headers,
        data: Buffer.concat(chunks),
        trailers,
        status: src["grpc-status"] as string | undefined,
        message: src["grpc-message"] as string | undefined,
      });
    });
    req.end(body);
  });
}

/** A framed gRPC message (the 5-byte prefix + payload). */
export const frame = encodeFrame;

export function h2connect(origin: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(origin);
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

/** Splits a gRPC response body into its message payloads. */
export function unframe(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos + 5 <= data.length) {
    const len = new DataView(data.buffer, data.byteOffset + pos + 1, 4).getUint32(0);
    out.push(data.subarray(pos + 5, pos + 5 + len));
    pos += 5 + len;
  }
  return out;
}
