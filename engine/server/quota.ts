// etcd's backend quota cost of a request (etcdserver/quota.go): what a request may add to the backend,
// checked against --quota-backend-bytes before it is proposed.
import type { PutRequest, TxnRequest } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";

/** Per-key overhead etcd assumes (revision key, KeyValue framing, index). */
const KV_OVERHEAD = 256;

export function putCost(r: PutRequest): number {
  return KV_OVERHEAD + r.key.length + r.value.length;
}

/** The larger of the two branches' put costs, nested txns included. */
export function txnCost(r: TxnRequest): number {
  const branch = (ops: TxnRequest["success"]): number =>
    ops.reduce((c, op) => c + (op.request.case === "requestPut" ? putCost(op.request.value) : op.request.case === "requestTxn" ? txnCost(op.request.value) : 0), 0);
  return Math.max(branch(r.success), branch(r.failure));
}
