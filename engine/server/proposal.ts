// What goes into the Raft log: etcd's own InternalRaftRequest (raft_internal.proto), so the log carries
// the same bytes etcd would write — header.ID identifies the waiting request, exactly one request field
// is set. v2 Requests carry what etcd 3.4 publishes that way (member attributes, cluster version).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type InternalRaftRequest, InternalRaftRequestSchema, RequestHeaderSchema,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/raft_internal_pb.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { RequestSchema } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/etcdserver_pb.ts";
import { ByteBuffer } from "../bytes/byte-buffer.ts";
import {
  appendBytesField, appendTag, appendVarint, appendVarintBig, cursor, readLengthDelimited, readTag, readUint64Big, sizeVarint,
  sizeVarintBig, skipField, WIRE_BYTES, WIRE_VARINT,
} from "../bytes/protowire.ts";

export type ProposalBody = Omit<MessageInitShape<typeof InternalRaftRequestSchema>, "header" | "ID" | "$typeName">;

const FIELD_PUT = 4; // InternalRaftRequest.put
const FIELD_HEADER = 100; // InternalRaftRequest.header
const EMPTY = new Uint8Array(0);
const scratch = new ByteBuffer(4096);

const bytesFieldSize = (n: number) => (n === 0 ? 0 : 1 + sizeVarint(n) + n);
const flagSize = (on: boolean | undefined) => (on ? 2 : 0);

function appendFlag(b: ByteBuffer, field: number, on: boolean | undefined): void {
  if (!on) return;
  appendTag(b, field, WIRE_VARINT);
  appendVarint(b, 1);
}

/**
 * The hot path of every write: a Put proposal encoded by hand, byte for byte what toBinary gives (fields in
 * number order, defaults omitted): put {key 1, value 2, lease 3, prev_kv 4, ignore_value 5, ignore_lease 6},
 * then header {ID 1}.
 */
function encodePutProposal(id: bigint, put: NonNullable<ProposalBody["put"]>): Uint8Array {
  const key = put.key ?? EMPTY;
  const value = put.value ?? EMPTY;
  const lease = put.lease ?? 0n;
  const putSize = bytesFieldSize(key.length) + bytesFieldSize(value.length) + (lease === 0n ? 0 : 1 + sizeVarintBig(lease)) +
    flagSize(put.prevKv) + flagSize(put.ignoreValue) + flagSize(put.ignoreLease);
  const b = scratch;
  b.reset();
  appendTag(b, FIELD_PUT, WIRE_BYTES);
  appendVarint(b, putSize);
  if (key.length) appendBytesField(b, 1, key);
  if (value.length) appendBytesField(b, 2, value);
  if (lease !== 0n) {
    appendTag(b, 3, WIRE_VARINT);
    appendVarintBig(b, lease);
  }
  appendFlag(b, 4, put.prevKv);
  appendFlag(b, 5, put.ignoreValue);
  appendFlag(b, 6, put.ignoreLease);
  appendTag(b, FIELD_HEADER, WIRE_BYTES);
  appendVarint(b, id === 0n ? 0 : 1 + sizeVarintBig(id));
  if (id !== 0n) {
    appendTag(b, 1, WIRE_VARINT);
    appendVarintBig(b, id);
  }
  return b.bytes.slice(0, b.length);
}

export function encodeProposal(id: bigint, body: ProposalBody): Uint8Array {
  if (body.put !== undefined && Object.keys(body).length === 1 && !(body.put as { $unknown?: unknown }).$unknown) {
    return encodePutProposal(id, body.put);
  }
  return toBinary(InternalRaftRequestSchema, create(InternalRaftRequestSchema, { ...body, header: create(RequestHeaderSchema, { ID: id }) }));
}

/**
 * A log entry's request. etcd 3.4 proposes its v2 requests (member attributes, cluster version) as a bare
 * etcdserverpb.Request, not inside an InternalRaftRequest; like etcd's apply (pbutil.MaybeUnmarshal), an entry
 * that does not parse as InternalRaftRequest is read as one (seen when taking over an etcd data dir).
 */
export function decodeProposal(data: Uint8Array): InternalRaftRequest {
  try {
    return fromBinary(InternalRaftRequestSchema, data);
  } catch (e) {
    try {
      return create(InternalRaftRequestSchema, { v2: fromBinary(RequestSchema, data) });
    } catch {
      throw e;
    }
  }
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
