// Raw gRPC streaming calls over node:http2 for the stream load generators (watch, keep-alive, snapshot): one
// HTTP/2 stream per call, framed messages written as given, every received message handed to `onMessage` as it
// completes (no protobuf decoding here: the caller decodes only what it measures). `done` resolves with the
// grpc-status when the server ends the call; an RST or a transport error resolves it as "error: …".
import { type ClientHttp2Session, connect } from "node:http2";
import { FrameDecoder } from "../../../rpc/grpc/framing.ts";

export interface GrpcStream {
  /** Writes one framed message (see encodeFrame). */
  send(frame: Uint8Array): void;
  /** Half-closes the request side. */
  end(): void;
  /** Resets the stream (cancels the call). */
  cancel(): void;
  /** The call's grpc-status ("0" = OK), or "error: …". */
  done: Promise<string>;
}

/** Receive windows large enough that a fast server is never held back by this client's flow control. */
const WINDOW = 16 << 20;

/** One HTTP/2 connection with large receive windows (grpc-go clients grow theirs the same way, by BDP). */
export function connectWide(origin: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(origin, { settings: { initialWindowSize: WINDOW } });
    s.once("connect", () => {
      s.setLocalWindowSize?.(WINDOW);
      resolve(s);
    });
    s.once("error", reject);
  });
}

export function openStream(session: ClientHttp2Session, path: string, onMessage: (msg: Uint8Array) => void): GrpcStream {
  const req = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" }, { endStream: false });
  const decoder = new FrameDecoder(1 << 30);
  let status = "";
  const done = new Promise<string>((resolve) => {
    req.on("response", (h) => (status = String(h["grpc-status"] ?? "")));
    req.on("trailers", (t) => (status = String(t["grpc-status"] ?? "")));
    req.on("data", (chunk: Buffer) => {
      for (const m of decoder.push(chunk)) onMessage(m);
    });
    req.on("end", () => resolve(status || "error: no grpc-status"));
    req.on("close", () => resolve(status || `error: stream closed (RST code ${req.rstCode})`));
    req.on("error", (e) => resolve(`error: ${String(e)}`));
  });
  return {
    send: (frame) => void req.write(frame),
    end: () => void req.end(),
    cancel: () => void req.close(),
    done,
  };
}
