// Hand-written encoders for hot response types, used by the gRPC fast path (grpc_handler.ts) in place of
// @bufbuild/protobuf's reflective toBinary. A service module registers one for its schema; Connect, gRPC-web
// and the JSON gateway never see them (they serialize the same message objects their own way).
// Invariant: an encoder's output is byte-identical to toBinary of the same message (its tests check that);
// messages carrying unknown fields ($unknown) always take toBinary.
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";

type Encoder = (msg: never) => Uint8Array;
const encoders = new Map<string, Encoder>();

export function registerFastEncoder<D extends DescMessage>(schema: D, encode: (msg: MessageShape<D>) => Uint8Array): void {
  encoders.set(schema.typeName, encode as Encoder);
}

/** The registered encoder for `schema`, if any. */
export function fastEncoderFor(schema: DescMessage): ((msg: unknown) => Uint8Array) | undefined {
  return encoders.get(schema.typeName) as ((msg: unknown) => Uint8Array) | undefined;
}
