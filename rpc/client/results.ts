// etcd's response messages → the library's result types: int64 revisions become numbers, the header's
// revision is lifted to `revision`, and a txn's ResponseOps become tagged TxnOpResults.
import type { KeyValue as WireKeyValue, Event as WireEvent } from "../gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { Event_EventType } from "../gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type {
  DeleteRangeResponse, PutResponse, RangeResponse, ResponseHeader, ResponseOp, StatusResponse, TxnResponse,
} from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { DeleteResult, KeyValue, PutResult, RangeResult, StatusResult, TxnOpResult, TxnResult, WatchEvent } from "./types.ts";

const revisionOf = (h: ResponseHeader | undefined): number => Number(h?.revision ?? 0n);

export function keyValue(kv: WireKeyValue): KeyValue {
  return {
    key: kv.key, value: kv.value, createRevision: Number(kv.createRevision), modRevision: Number(kv.modRevision),
    version: Number(kv.version), lease: kv.lease,
  };
}

export function rangeResult(r: RangeResponse): RangeResult {
  return { kvs: r.kvs.map(keyValue), count: Number(r.count), more: r.more, revision: revisionOf(r.header) };
}

export function putResult(r: PutResponse): PutResult {
  const out: PutResult = { revision: revisionOf(r.header) };
  if (r.prevKv) out.prevKv = keyValue(r.prevKv);
  return out;
}

export function deleteResult(r: DeleteRangeResponse): DeleteResult {
  return { deleted: Number(r.deleted), revision: revisionOf(r.header), prevKvs: r.prevKvs.map(keyValue) };
}

function opResult(op: ResponseOp): TxnOpResult {
  const r = op.response;
  switch (r.case) {
    case "responsePut":
      return { type: "put", ...putResult(r.value) };
    case "responseRange":
      return { type: "range", ...rangeResult(r.value) };
    case "responseDeleteRange":
      return { type: "delete", ...deleteResult(r.value) };
    case "responseTxn":
      return { type: "txn", ...txnResult(r.value) };
    default:
      throw new Error("bunetcd: txn response without a result");
  }
}

export function txnResult(r: TxnResponse): TxnResult {
  return { succeeded: r.succeeded, revision: revisionOf(r.header), results: r.responses.map(opResult) };
}

export function watchEvent(ev: WireEvent): WatchEvent {
  const out: WatchEvent = { type: ev.type === Event_EventType.DELETE ? "delete" : "put", kv: keyValue(ev.kv!) };
  if (ev.prevKv) out.prevKv = keyValue(ev.prevKv);
  return out;
}

export function statusResult(s: StatusResponse): StatusResult {
  return {
    version: s.version, dbSize: Number(s.dbSize), dbSizeInUse: Number(s.dbSizeInUse), memberId: s.header?.memberId ?? 0n,
    clusterId: s.header?.clusterId ?? 0n, leader: s.leader, raftIndex: Number(s.raftIndex), raftTerm: Number(s.raftTerm),
    raftAppliedIndex: Number(s.raftAppliedIndex), revision: revisionOf(s.header), errors: s.errors,
  };
}
