// The request checks etcd 3.4's gRPC KV layer makes before a request reaches the server
// (etcdserver/api/v3rpc/key.go: checkRangeRequest, checkPutRequest, checkDeleteRequest, checkTxnRequest,
// checkRequestOp, checkIntervals), in etcd's order and with its exact errors. They look only at the request,
// never at the store. The duplicate-key rule (checkIntervals) is the store's own checkTxnDuplicates
// (engine/mvcc/txn_check.ts), reached through the wire→store conversion so one implementation serves both.
import { rpcError, rpctypes } from "../errors.ts";
import type {
  DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest,
} from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { checkTxnDuplicates } from "../../engine/mvcc/txn_check.ts";
import { txnToStore } from "../../engine/server/kv_convert.ts";
import { toRpcError } from "../../engine/server/errors.ts";

export function checkRangeRequest(r: RangeRequest): void {
  if (r.key.length === 0) throw rpcError(rpctypes.EmptyKey);
}

export function checkPutRequest(r: PutRequest): void {
  if (r.key.length === 0) throw rpcError(rpctypes.EmptyKey);
  if (r.ignoreValue && r.value.length !== 0) throw rpcError(rpctypes.ValueProvided);
  if (r.ignoreLease && r.lease !== 0n) throw rpcError(rpctypes.LeaseProvided);
}

export function checkDeleteRequest(r: DeleteRangeRequest): void {
  if (r.key.length === 0) throw rpcError(rpctypes.EmptyKey);
}

/**
 * key.go checkTxnRequest: the largest of compare/success/failure may not exceed `maxTxnOps`; a nested txn gets
 * what its parent left (maxTxnOps minus the parent's largest list), as etcd passes it down.
 */
export function checkTxnRequest(r: TxnRequest, maxTxnOps: number): void {
  const opc = Math.max(r.compare.length, r.success.length, r.failure.length);
  if (opc > maxTxnOps) throw rpcError(rpctypes.TooManyOps);
  for (const c of r.compare) if (c.key.length === 0) throw rpcError(rpctypes.EmptyKey);
  for (const op of r.success) checkRequestOp(op, maxTxnOps - opc);
  for (const op of r.failure) checkRequestOp(op, maxTxnOps - opc);
}

function checkRequestOp(op: RequestOp, maxTxnOps: number): void {
  const u = op.request;
  switch (u.case) {
    case "requestRange":
      return checkRangeRequest(u.value);
    case "requestPut":
      return checkPutRequest(u.value);
    case "requestDeleteRange":
      return checkDeleteRequest(u.value);
    case "requestTxn":
      return checkTxnRequest(u.value, maxTxnOps);
    default:
      // an empty RequestOp (no request set): etcd answers ErrGRPCKeyNotFound
      throw rpcError(rpctypes.KeyNotFound);
  }
}

/** key.go checkIntervals on success and failure: "duplicate key given in txn request". Run after checkTxnRequest. */
export function checkTxnIntervals(r: TxnRequest): void {
  try {
    checkTxnDuplicates(txnToStore(r));
  } catch (e) {
    throw toRpcError(e);
  }
}
