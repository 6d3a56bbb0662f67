// Reads the request side of one gRPC call from an HTTP/2 stream. Unary and server-streaming calls carry exactly
// one message (readSingleMessage: delivered when the client half-closes); client-streaming and bidi calls get an
// AsyncIterable of decoded messages (readMessageStream) with backpressure through stream.pause()/resume().
// Framing violations are Internal, undecodable protobuf is InvalidArgument (grpc-go's codes), an over-limit message
// is ResourceExhausted; a client that goes away ends the iterable with Canceled.
import { fromBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { GrpcStream } from "./grpc_stream.ts";
import { FrameDecoder } from "./framing.ts";
import { MessageQueue } from "./message_queue.ts";

/** How many decoded-but-unconsumed messages a streaming call buffers before it stops reading. */
const STREAM_HIGH_WATER = 64;

/** Decodes one request message; a protobuf error becomes InvalidArgument, as in grpc-go. */
export function decodeRequest<I extends DescMessage>(schema: I, bytes: Uint8Array): MessageShape<I> {
  try {
    return fromBinary(schema, bytes);
  } catch (e) {
    throw new ConnectError(`grpc: error unmarshalling request: ${e instanceof Error ? e.message : String(e)}`, Code.InvalidArgument);
  }
}

/** Collects the single request message of a unary or server-streaming call; calls at most one of the callbacks
 *  (neither when the client goes away before half-closing). */
export function readSingleMessage(
  stream: GrpcStream,
  maxBytes: number,
  onMessage: (bytes: Uint8Array) => void,
  onError: (err: unknown) => void,
): void {
  const decoder = new FrameDecoder(maxBytes);
  let message: Uint8Array | undefined;
  let count = 0;
  let settled = false;
  const fail = (err: unknown) => {
    if (settled) return;
    settled = true;
    onError(err);
  };
  stream.on("data", (chunk: Uint8Array) => {
    if (settled) return;
    try {
      for (const m of decoder.push(chunk)) {
        message = m;
        count++;
      }
    } catch (e) {
      fail(e);
    }
  });
  stream.once("end", () => {
    if (settled) return;
    if (decoder.buffered !== 0) fail(new ConnectError("grpc: request ended inside a message frame", Code.Internal));
    else if (count !== 1 || !message) fail(new ConnectError(`grpc: a unary request must carry exactly one message, got ${count}`, Code.Internal));
    else {
      settled = true;
      onMessage(message);
    }
  });
  // A stream that closes before 'end' never reaches the implementation: nothing to cancel, no listener needed.
}

/** The request messages of a client-streaming or bidi call, decoded as they arrive. */
export function readMessageStream<I extends DescMessage>(
  stream: GrpcStream,
  schema: I,
  maxBytes: number,
): MessageQueue<MessageShape<I>> {
  const decoder = new FrameDecoder(maxBytes);
  const queue = new MessageQueue<MessageShape<I>>(
    STREAM_HIGH_WATER,
    () => stream.pause(),
    () => stream.resume(),
  );
  let failed = false;
  stream.on("data", (chunk: Uint8Array) => {
    if (failed) return;
    try {
      for (const m of decoder.push(chunk)) queue.push(decodeRequest(schema, m));
    } catch (e) {
      failed = true;
      queue.fail(e);
    }
  });
  const canceled = () => {
    if (!queue.closed) queue.fail(new ConnectError("the client canceled the call", Code.Canceled));
  };
  stream.once("end", () => {
    if (decoder.buffered !== 0) return queue.fail(new ConnectError("grpc: request ended inside a message frame", Code.Internal));
    // Bun emits 'end' just before 'aborted' when the client resets the stream: decide on the next turn.
    setImmediate(() => {
      if (stream.aborted) canceled();
      else queue.end();
    });
  });
  stream.once("aborted", canceled);
  stream.once("close", canceled);
  return queue;
}
