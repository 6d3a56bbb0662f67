// The watch generator's scan reads what toBinary wrote: the created flag and every event's kv.mod_revision, with
// every other field (header, ids, prev_kv, values of any size, unknown fields) skipped.
import { expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { ResponseHeaderSchema, WatchResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EventSchema, KeyValueSchema } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { Rng, testSeed } from "../../support/random.ts";
import { scanWatchResponse } from "./watch_scan.ts";

const seed = testSeed();

test(`scanWatchResponse finds created and each event's mod_revision (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const kv = () => create(KeyValueSchema, { key: new Uint8Array(rng.int(30)), value: new Uint8Array([0, 5, 300, 70_000][rng.int(4)]!), createRevision: BigInt(rng.int(1e6)), modRevision: BigInt(rng.int(2 ** 40)), version: BigInt(rng.int(9)), lease: BigInt(rng.int(2)) });
  for (let i = 0; i < 300; i++) {
    const events = Array.from({ length: rng.int(5) }, () => create(EventSchema, { type: rng.int(2), kv: rng.int(8) ? kv() : undefined, prevKv: rng.int(2) ? kv() : undefined }));
    const msg = create(WatchResponseSchema, {
      header: create(ResponseHeaderSchema, { clusterId: 2n ** 63n, memberId: 7n, revision: BigInt(rng.int(1e9)), raftTerm: 3n }),
      watchId: BigInt(rng.int(3) - 1), created: rng.int(2) === 1, canceled: rng.int(4) === 0, compactRevision: BigInt(rng.int(3)), cancelReason: rng.int(3) ? "" : "x", fragment: rng.int(2) === 1, events,
    });
    const revs: number[] = [];
    const created = scanWatchResponse(toBinary(WatchResponseSchema, msg), (r) => revs.push(r));
    expect(created).toBe(msg.created);
    expect(revs).toEqual(events.map((e) => Number(e.kv?.modRevision ?? 0n)));
  }
});
