// Pre-encoded gRPC request bodies for the load generator, one op kind each: put (8-byte keys over a key space,
// 256-byte values), range linearizable / serializable (one key), txn-put (a Txn whose success branch is one put).
import { create, toBinary } from "@bufbuild/protobuf";
import {
  PutRequestSchema, RangeRequestSchema, TxnRequestSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";

export const OPS = ["put", "range-l", "range-s", "txn-put"] as const;
export type Op = (typeof OPS)[number];

export interface OpBodies {
  path: string;
  /** framed request bodies; the generator cycles through them */
  bodies: Uint8Array[];
}

const KEY_BYTES = 8;
export const VALUE_BYTES = 256;

/** The i-th key of a key space: "k" and i zero-padded to KEY_BYTES. */
export function key(i: number): Uint8Array {
  return new TextEncoder().encode(`k${String(i).padStart(KEY_BYTES - 1, "0")}`);
}

export function opBodies(op: Op, keySpace: number): OpBodies {
  const value = new Uint8Array(VALUE_BYTES).fill(0x76);
  const keys = Array.from({ length: keySpace }, (_, i) => key(i));
  // visit the key space in a scattered order (a fixed stride coprime to the size), not sequentially
  const stride = [7919, 104729, 1299709].find((p) => keySpace % p !== 0) ?? 1;
  const order = keys.map((_, i) => keys[(i * stride) % keySpace]);
  const encode = (k: Uint8Array): Uint8Array => {
    switch (op) {
      case "put":
        return toBinary(PutRequestSchema, create(PutRequestSchema, { key: k, value }));
      case "range-l":
      case "range-s":
        return toBinary(RangeRequestSchema, create(RangeRequestSchema, { key: k, serializable: op === "range-s" }));
      case "txn-put":
        return toBinary(TxnRequestSchema, create(TxnRequestSchema, { success: [{ request: { case: "requestPut", value: { key: k, value } } }] }));
    }
  };
  const path = op === "put" ? "Put" : op === "txn-put" ? "Txn" : "Range";
  return { path: `/etcdserverpb.KV/${path}`, bodies: order.map((k) => encodeFrame(encode(k))) };
}
