// A small in-process etcd KV client over node:http2 (gRPC framing from rpc/grpc, calls via the raw client in
// tests/rpc/support): put, range, txn — enough for crash and load tests without spawning etcdctl. A call fails
// (rejects) on a non-OK grpc-status and as soon as the connection goes away (a killed server).
import type { ClientHttp2Session } from "node:http2";
import { create, type DescMessage, fromBinary, type MessageInitShape, type MessageShape, toBinary } from "@bufbuild/protobuf";
import {
  PutRequestSchema, PutResponseSchema, RangeRequestSchema, RangeResponseSchema, TxnRequestSchema, TxnResponseSchema,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { frame, h2connect, rawGrpcCall, unframe } from "../rpc/support/raw_grpc.ts";
import { prefixEnd } from "../../engine/bytes/prefix_end.ts";

export class GrpcError extends Error {
  constructor(readonly status: string | undefined, message: string | undefined) {
    super(`grpc-status ${status}: ${message ?? ""}`);
  }
}

const enc = new TextEncoder();
export const bytes = (s: string | Uint8Array) => (typeof s === "string" ? enc.encode(s) : s);
export { prefixEnd };


export class KvClient {
  private readonly gone: Promise<never>;
  private constructor(readonly session: ClientHttp2Session) {
    this.gone = new Promise<never>((_, reject) => {
      const fail = (e?: unknown) => reject(e instanceof Error ? e : new Error("connection closed"));
      session.once("close", fail);
      session.once("error", fail);
      session.once("goaway", () => fail(new Error("goaway")));
    });
    this.gone.catch(() => undefined);
  }

  static async connect(endpoint: string): Promise<KvClient> {
    return new KvClient(await h2connect(endpoint));
  }

  async unary<I extends DescMessage, O extends DescMessage>(path: string, req: I, init: MessageInitShape<I>, res: O): Promise<MessageShape<O>> {
    const r = await Promise.race([rawGrpcCall(this.session, path, frame(toBinary(req, create(req, init)))), this.gone]);
    if (r.status !== "0") throw new GrpcError(r.status, r.message);
    return fromBinary(res, unframe(r.data)[0] ?? new Uint8Array());
  }

  put(key: string | Uint8Array, value: string | Uint8Array) {
    return this.unary("/etcdserverpb.KV/Put", PutRequestSchema, { key: bytes(key), value: bytes(value) }, PutResponseSchema);
  }

  range(init: MessageInitShape<typeof RangeRequestSchema>) {
    return this.unary("/etcdserverpb.KV/Range", RangeRequestSchema, init, RangeResponseSchema);
  }

  rangePrefix(prefix: string) {
    return this.range({ key: bytes(prefix), rangeEnd: prefixEnd(bytes(prefix)) });
  }

  txn(init: MessageInitShape<typeof TxnRequestSchema>) {
    return this.unary("/etcdserverpb.KV/Txn", TxnRequestSchema, init, TxnResponseSchema);
  }

  close(): void {
    this.session.destroy();
  }
}
