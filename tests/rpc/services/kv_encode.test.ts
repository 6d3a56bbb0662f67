// The KV fast path's hand encoders must give toBinary's bytes for any PutResponse and RangeResponse (seeded
// random ones: empty and absent fields, negative leases, large revisions, prev_kv present but empty).
import { expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { PutResponseSchema, RangeResponseSchema, ResponseHeaderSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { KeyValueSchema } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { encodePutResponse, encodeRangeResponse } from "../../../rpc/services/kv_encode.ts";
import { Rng, testSeed } from "../../support/random.ts";

const seed = testSeed();
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test(`encodePutResponse and encodeRangeResponse equal toBinary (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const big = () => [0n, 1n, 127n, 128n, 2n ** 31n, 2n ** 40n, 2n ** 63n - 1n][rng.int(7)]!;
  const bytes = (n: number) => Uint8Array.from({ length: rng.int(n + 1) }, () => rng.int(256));
  const kv = () => create(KeyValueSchema, {
    key: bytes(20), value: bytes(rng.int(10) === 0 ? 300 : 20), createRevision: big(), modRevision: big(), version: big(),
    lease: [0n, 7n, -1n, 2n ** 62n][rng.int(4)]!,
  });
  const header = () => (rng.int(5) ? create(ResponseHeaderSchema, { clusterId: big(), memberId: big(), revision: big(), raftTerm: big() }) : undefined);
  for (let i = 0; i < 2000; i++) {
    const put = create(PutResponseSchema, { header: header(), prevKv: rng.int(3) === 0 ? (rng.int(4) ? kv() : create(KeyValueSchema)) : undefined });
    expect(hex(encodePutResponse(put))).toBe(hex(toBinary(PutResponseSchema, put)));
    const range = create(RangeResponseSchema, { header: header(), kvs: Array.from({ length: rng.int(5) }, kv), more: rng.int(2) === 1, count: big() });
    expect(hex(encodeRangeResponse(range))).toBe(hex(toBinary(RangeResponseSchema, range)));
  }
});
