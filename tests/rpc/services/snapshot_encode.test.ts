// The Snapshot stream's hand framing gives toBinary's bytes for the same {remainingBytes, blob}: chunks of any
// size, the last (remaining 0), an empty blob (seeded).
import { expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { SnapshotResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { FRAME_HEADER_BYTES } from "../../../rpc/grpc/framing.ts";
import { frameSnapshotResponse } from "../../../rpc/services/snapshot_encode.ts";
import { Rng, testSeed } from "../../support/random.ts";

const seed = testSeed();

test(`frameSnapshotResponse equals toBinary (seed ${seed})`, () => {
  const rng = new Rng(seed);
  let buffer = new Uint8Array(0);
  const frames = {
    reserve(size: number) {
      buffer = new Uint8Array(FRAME_HEADER_BYTES + size);
      return FRAME_HEADER_BYTES;
    },
    get buffer() {
      return buffer;
    },
    full: undefined,
  };
  for (let i = 0; i < 200; i++) {
    const blob = Uint8Array.from({ length: [0, 1, 32, 127, 128, 4096, 32 * 1024][rng.int(7)]! }, () => rng.int(256));
    const remainingBytes = [0, 1, 127, 128, 2 ** 31, 2 ** 40][rng.int(6)]!;
    frameSnapshotResponse(frames, { remainingBytes, blob });
    const want = toBinary(SnapshotResponseSchema, create(SnapshotResponseSchema, { remainingBytes: BigInt(remainingBytes), blob }));
    expect(Buffer.from(buffer.subarray(FRAME_HEADER_BYTES)).equals(Buffer.from(want))).toBe(true);
  }
});
