// TEST-ONLY fake of Maintenance.Snapshot (server streaming), to exercise the gRPC streaming path and HTTP/2 flow
// control; not the engine's snapshot. It streams `chunks` blobs of `chunkBytes` deterministic bytes with
// remaining_bytes counting down, optionally failing with `failAfter` chunks sent. `produced` counts chunks the
// generator has yielded, so a test can see that a client that stops reading also stops the producer.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { SnapshotResponseSchema, type Maintenance, type SnapshotResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";

export interface FakeSnapshotOptions {
  chunks: number;
  chunkBytes: number;
  failAfter?: number;
}

export interface FakeSnapshot {
  impl: Partial<ServiceImpl<typeof Maintenance>>;
  produced(): number;
  finished(): boolean;
}

/** The byte at offset `i` of the fake snapshot. */
export const snapshotByte = (i: number) => (i * 7 + (i >> 8)) & 0xff;

export function createFakeSnapshot(opts: FakeSnapshotOptions): FakeSnapshot {
  let produced = 0;
  let finished = false;
  const total = opts.chunks * opts.chunkBytes;
  const impl: Partial<ServiceImpl<typeof Maintenance>> = {
    async *snapshot(): AsyncGenerator<SnapshotResponse> {
      try {
        for (let c = 0; c < opts.chunks; c++) {
          if (opts.failAfter === c) throw new ConnectError("etcdserver: snapshot failed (fake)", Code.DataLoss);
          const blob = new Uint8Array(opts.chunkBytes);
          for (let i = 0; i < blob.length; i++) blob[i] = snapshotByte(c * opts.chunkBytes + i);
          produced++;
          yield create(SnapshotResponseSchema, { remainingBytes: BigInt(total - (c + 1) * opts.chunkBytes), blob });
        }
      } finally {
        finished = true;
      }
    },
  };
  return { impl, produced: () => produced, finished: () => finished };
}
