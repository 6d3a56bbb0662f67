// What goes into the Raft log: etcd's own InternalRaftRequest (raft_internal.proto), so the log carries
// the same bytes etcd would write — header.ID identifies the waiting request, exactly one request field
// is set. v2 Requests carry what etcd 3.4 publishes that way (member attributes, cluster version).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type InternalRaftRequest, InternalRaftRequestSchema, RequestHeaderSchema,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/raft_internal_pb.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";

export type ProposalBody = Omit<MessageInitShape<typeof InternalRaftRequestSchema>, "header" | "ID" | "$typeName">;

export function encodeProposal(id: bigint, body: ProposalBody): Uint8Array {
  return toBinary(InternalRaftRequestSchema, create(InternalRaftRequestSchema, { ...body, header: create(RequestHeaderSchema, { ID: id }) }));
}

export function decodeProposal(data: Uint8Array): InternalRaftRequest {
  return fromBinary(InternalRaftRequestSchema, data);
}

/** The id the proposer waits on: header.ID (etcd v3), else the v2 ID. */
export function proposalId(r: InternalRaftRequest): bigint {
  return r.header?.ID ?? r.ID;
}
