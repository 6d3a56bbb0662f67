// What goes into the Raft log: etcd's own InternalRaftRequest (raft_internal.proto), so the log carries
// the same bytes etcd would write — header.ID identifies the waiting request, exactly one request field
// is set. v2 Requests carry what etcd 3.4 publishes that way (member attributes, cluster version).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type InternalRaftRequest, InternalRaftRequestSchema, RequestHeaderSchema,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/raft_internal_pb.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { cursor, readLengthDelimited, readTag, readUint64Big, skipField, WIRE_BYTES, WIRE_VARINT } from "../bytes/protowire.ts";

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

/**
 * The request id of an encoded proposal without decoding it: scans the top-level fields for header (100)
 * and reads its ID (1); 0n when absent. Lets the apply loop reuse the proposer's decoded request.
 */
export function peekProposalId(data: Uint8Array): bigint {
  const c = cursor(data);
  while (c.pos < c.end) {
    const tag = readTag(c);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 100 && wire === WIRE_BYTES) {
      const start = readLengthDelimited(c);
      const h = cursor(data, start, c.pos);
      while (h.pos < h.end) {
        const t = readTag(h);
        if (t >>> 3 === 1 && (t & 7) === WIRE_VARINT) return readUint64Big(h);
        skipField(h, t & 7);
      }
      return 0n;
    }
    skipField(c, wire);
  }
  return 0n;
}
