// The hand-encoded Put proposal (the write hot path) must be byte-identical to @bufbuild/protobuf's encoding of
// the same InternalRaftRequest, for every combination of set/unset fields; and it must decode back.
import { expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { InternalRaftRequestSchema, RequestHeaderSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/raft_internal_pb.ts";
import { RequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/etcdserver_pb.ts";
import { decodeProposal, encodeProposal, peekProposalId } from "../../../engine/server/proposal.ts";
import { Rng, testSeed } from "../../support/random.ts";

const seed = testSeed();

test(`Put proposals are encoded exactly as toBinary encodes them (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const bytes = (max: number) => Uint8Array.from({ length: rng.int(max + 1) }, () => rng.int(256));
  const ids = [0n, 1n, 127n, 128n, 0x7fffffffn, 0x80000000n, 0x694d7a1b2c3d4e5fn, 0xffffffffffffffffn]; // uint64
  const leases = [0n, 1n, 128n, 0x7fffffffn, 0x80000000n, 0x694d7a1b2c3d4e5fn, -1n, -(2n ** 63n)]; // int64
  for (let i = 0; i < 2000; i++) {
    const put = {
      key: bytes(40),
      value: bytes(i % 10 === 0 ? 300 : 20),
      lease: rng.int(2) ? leases[rng.int(leases.length)] : 0n,
      prevKv: rng.int(2) === 1,
      ignoreValue: rng.int(2) === 1,
      ignoreLease: rng.int(2) === 1,
    };
    const id = ids[rng.int(ids.length)];
    const want = toBinary(InternalRaftRequestSchema, create(InternalRaftRequestSchema, { put, header: create(RequestHeaderSchema, { ID: id }) }));
    const got = encodeProposal(id, { put });
    expect(Buffer.from(got).toString("hex")).toBe(Buffer.from(want).toString("hex"));
    expect(peekProposalId(got)).toBe(id);
    expect(decodeProposal(got).put?.lease).toBe(put.lease);
  }
});

test("other proposals still go through toBinary", () => {
  const got = encodeProposal(7n, { compaction: { revision: 5n } });
  expect(decodeProposal(got).compaction?.revision).toBe(5n);
  expect(peekProposalId(got)).toBe(7n);
});

test("a bare v2 Request in the log (etcd 3.4's publish) is read as the v2 request, as etcd's MaybeUnmarshal does", () => {
  const attrs = JSON.stringify({ name: "default", clientURLs: ["http://127.0.0.1:2379"] });
  const bare = toBinary(RequestSchema, create(RequestSchema, { ID: 0x694d7a1b2c3d4e5fn, Method: "PUT", Path: "/0/members/8e9e05c52164694d/attributes", Val: attrs }));
  const r = decodeProposal(bare);
  expect(r.v2?.Method).toBe("PUT");
  expect(r.v2?.Path).toBe("/0/members/8e9e05c52164694d/attributes");
  expect(r.v2?.Val).toBe(attrs);
  const version = decodeProposal(toBinary(RequestSchema, create(RequestSchema, { ID: 5n, Method: "PUT", Path: "/0/version", Val: "3.4.0" })));
  expect(version.v2?.Val).toBe("3.4.0");
});
