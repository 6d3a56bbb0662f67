// Conversions between the wire messages (generated etcdserverpb/mvccpb types: 64-bit fields as bigint,
// oneofs as {case, value}) and the MVCC store's request/response shapes (revisions as numbers, exact below
// 2^53; lease ids bigint). Responses get the full header (cluster_id, member_id, revision, raft_term) here.
import { create } from "@bufbuild/protobuf";
import {
  type CompactionRequest, type Compare as PbCompare, type DeleteRangeRequest as PbDeleteRangeRequest,
  type DeleteRangeResponse as PbDeleteRangeResponse, DeleteRangeResponseSchema, type PutRequest as PbPutRequest,
  type PutResponse as PbPutResponse, PutResponseSchema, type RangeRequest as PbRangeRequest,
  type RangeResponse as PbRangeResponse, RangeResponseSchema, type RequestOp as PbRequestOp,
  type ResponseHeader, ResponseHeaderSchema, type ResponseOp as PbResponseOp, ResponseOpSchema,
  type TxnRequest as PbTxnRequest, type TxnResponse as PbTxnResponse, TxnResponseSchema,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type KeyValue as PbKeyValue, KeyValueSchema } from "../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { KeyValue } from "../mvcc/key_value.ts";
import type {
  Compare, CompareResult, CompareTarget, DeleteRangeRequest, DeleteRangeResponse, PutRequest, PutResponse,
  RangeRequest, RangeResponse, RequestOp, ResponseOp, SortOrder, SortTarget, TxnRequest, TxnResponse,
} from "../mvcc/requests.ts";

/** Identity of the responding member, stamped on every header. */
export interface HeaderIds {
  clusterId: bigint;
  memberId: bigint;
  raftTerm: () => number;
}

const n = (v: bigint) => Number(v);

/** The last header made: a watch fan-out stamps the same revision on a response per watcher. Never mutated. */
let last: { revision: number; term: number; header: ResponseHeader } | undefined;

export function header(ids: HeaderIds, revision: number): ResponseHeader {
  const term = ids.raftTerm();
  const l = last;
  if (l !== undefined && l.revision === revision && l.term === term && l.header.clusterId === ids.clusterId && l.header.memberId === ids.memberId) {
    return l.header;
  }
  const h = create(ResponseHeaderSchema, {
    clusterId: ids.clusterId,
    memberId: ids.memberId,
    revision: BigInt(revision),
    raftTerm: BigInt(term),
  });
  last = { revision, term, header: h };
  return h;
}

// ---- requests: wire → store ----

export function rangeToStore(r: PbRangeRequest): RangeRequest {
  return {
    key: r.key,
    rangeEnd: r.rangeEnd,
    limit: n(r.limit),
    revision: n(r.revision),
    sortOrder: r.sortOrder as number as SortOrder,
    sortTarget: r.sortTarget as number as SortTarget,
    serializable: r.serializable,
    keysOnly: r.keysOnly,
    countOnly: r.countOnly,
    minModRevision: n(r.minModRevision),
    maxModRevision: n(r.maxModRevision),
    minCreateRevision: n(r.minCreateRevision),
    maxCreateRevision: n(r.maxCreateRevision),
  };
}

export function putToStore(r: PbPutRequest): PutRequest {
  return { key: r.key, value: r.value, lease: r.lease, prevKv: r.prevKv, ignoreValue: r.ignoreValue, ignoreLease: r.ignoreLease };
}

export function deleteToStore(r: PbDeleteRangeRequest): DeleteRangeRequest {
  return { key: r.key, rangeEnd: r.rangeEnd, prevKv: r.prevKv };
}

function compareToStore(c: PbCompare): Compare {
  const out: Compare = { result: c.result as number as CompareResult, target: c.target as number as CompareTarget, key: c.key, rangeEnd: c.rangeEnd };
  const u = c.targetUnion;
  if (u.case === "version") out.version = n(u.value);
  else if (u.case === "createRevision") out.createRevision = n(u.value);
  else if (u.case === "modRevision") out.modRevision = n(u.value);
  else if (u.case === "value") out.value = u.value;
  else if (u.case === "lease") out.lease = u.value;
  return out;
}

function opToStore(op: PbRequestOp): RequestOp | null {
  const r = op.request;
  switch (r.case) {
    case "requestRange":
      return { case: "requestRange", value: rangeToStore(r.value) };
    case "requestPut":
      return { case: "requestPut", value: putToStore(r.value) };
    case "requestDeleteRange":
      return { case: "requestDeleteRange", value: deleteToStore(r.value) };
    case "requestTxn":
      return { case: "requestTxn", value: txnToStore(r.value) };
    default:
      return null;
  }
}

export function txnToStore(r: PbTxnRequest): TxnRequest {
  const ops = (xs: PbRequestOp[]) => xs.map(opToStore).filter((x): x is RequestOp => x !== null);
  return { compare: r.compare.map(compareToStore), success: ops(r.success), failure: ops(r.failure) };
}

export function compactRevision(r: CompactionRequest): number {
  return n(r.revision);
}

// ---- responses: store → wire ----

export function kvToWire(kv: KeyValue): PbKeyValue {
  return create(KeyValueSchema, {
    key: kv.key,
    createRevision: BigInt(kv.createRevision),
    modRevision: BigInt(kv.modRevision),
    version: BigInt(kv.version),
    value: kv.value,
    lease: kv.lease,
  });
}

export function rangeToWire(r: RangeResponse, h: ResponseHeader | undefined): PbRangeResponse {
  return create(RangeResponseSchema, { header: h, kvs: r.kvs.map(kvToWire), more: r.more, count: BigInt(r.count) });
}

export function putToWire(r: PutResponse, h: ResponseHeader | undefined): PbPutResponse {
  return create(PutResponseSchema, { header: h, prevKv: r.prevKv ? kvToWire(r.prevKv) : undefined });
}

export function deleteToWire(r: DeleteRangeResponse, h: ResponseHeader | undefined): PbDeleteRangeResponse {
  return create(DeleteRangeResponseSchema, { header: h, deleted: BigInt(r.deleted), prevKvs: r.prevKvs.map(kvToWire) });
}

/**
 * Nested responses carry a header with only the revision their operation saw (etcd's apply sets
 * Header.Revision in Range/Put/DeleteRange; a nested TxnResponse's stays 0); the top one gets `h`.
 */
export function txnToWire(r: TxnResponse, h: ResponseHeader | undefined): PbTxnResponse {
  const nested = (x: { header: { revision: number } }) => create(ResponseHeaderSchema, { revision: BigInt(x.header.revision) });
  const op = (x: ResponseOp): PbResponseOp => {
    switch (x.case) {
      case "responseRange":
        return create(ResponseOpSchema, { response: { case: "responseRange", value: rangeToWire(x.value, nested(x.value)) } });
      case "responsePut":
        return create(ResponseOpSchema, { response: { case: "responsePut", value: putToWire(x.value, nested(x.value)) } });
      case "responseDeleteRange":
        return create(ResponseOpSchema, { response: { case: "responseDeleteRange", value: deleteToWire(x.value, nested(x.value)) } });
      case "responseTxn":
        return create(ResponseOpSchema, { response: { case: "responseTxn", value: txnToWire(x.value, nested(x.value)) } });
    }
  };
  return create(TxnResponseSchema, { header: h, succeeded: r.succeeded, responses: r.responses.map(op) });
}
