// Put, DeleteRange and Txn with etcd's server-side semantics (etcdserver/apply.go applierV3backend Put,
// DeleteRange, Txn, applyTxn, compareToPath, checkRequests) on top of a read view or a WriteTxn.
// Txn: every compare, including those of nested txns on the chosen branches, is evaluated first against the
// read view of the state before the txn; then the chosen ops are checked (ignore_value/ignore_lease on a
// missing key, unknown lease, range revisions compacted or in the future) and only then applied, in one
// write txn (one revision, sub-revisions in op order) or, for a read-only txn, on the read view.

import { CompactedError, FutureRevisionError, keyNotFound, leaseNotFound } from "./errors.ts";
import type { KeyValue } from "./key_value.ts";
import type { KvState, KvView } from "./kv_state.ts";
import { applyCompares } from "./compare.ts";
import { applyRange } from "./range_apply.ts";
import type { DeleteRangeRequest, DeleteRangeResponse, PutRequest, PutResponse, RequestOp, ResponseOp, TxnRequest, TxnResponse } from "./requests.ts";
import { isTxnReadonly } from "./txn_check.ts";
import { WriteTxn } from "./write_txn.ts";

const EMPTY = new Uint8Array(0);

/** etcd Put on a write txn (prev_kv, ignore_value, ignore_lease read the key inside the txn). */
export function applyPut(txn: WriteTxn, p: PutRequest): PutResponse {
  let prev: KeyValue | undefined;
  if (p.ignoreValue || p.ignoreLease || p.prevKv) prev = txn.range(p.key, undefined).kvs[0];
  if ((p.ignoreValue || p.ignoreLease) && prev === undefined) throw keyNotFound();
  const value = p.ignoreValue ? prev!.value : (p.value ?? EMPTY);
  const lease = p.ignoreLease ? prev!.lease : (p.lease ?? 0n);
  const revision = txn.put(p.key, value, lease);
  return p.prevKv && prev !== undefined ? { header: { revision }, prevKv: prev } : { header: { revision } };
}

/** etcd DeleteRange on a write txn. */
export function applyDeleteRange(txn: WriteTxn, dr: DeleteRangeRequest): DeleteRangeResponse {
  const prevKvs = dr.prevKv ? txn.range(dr.key, dr.rangeEnd).kvs : [];
  const [deleted, revision] = txn.deleteRange(dr.key, dr.rangeEnd);
  return { header: { revision }, deleted, prevKvs };
}

/** The outcome of a txn's compares and of the nested txns on the chosen branch, in op order. */
interface TxnPath {
  succeeded: boolean;
  nested: TxnPath[];
}

function chosenOps(rt: TxnRequest, succeeded: boolean): readonly RequestOp[] {
  return (succeeded ? rt.success : rt.failure) ?? [];
}

function compareToPath(rv: KvView, rt: TxnRequest): TxnPath {
  const succeeded = applyCompares(rv, rt.compare);
  const nested: TxnPath[] = [];
  for (const op of chosenOps(rt, succeeded)) if (op.case === "requestTxn") nested.push(compareToPath(rv, op.value));
  return { succeeded, nested };
}

/** Visits the non-txn ops that will run, depth first, with the request they belong to. */
function forEachChosenOp(rt: TxnRequest, path: TxnPath, visit: (op: RequestOp) => void): void {
  let n = 0;
  for (const op of chosenOps(rt, path.succeeded)) {
    if (op.case === "requestTxn") forEachChosenOp(op.value, path.nested[n++], visit);
    else visit(op);
  }
}

/** etcd checkRequestPut. */
function checkPut(s: KvState, rv: KvView, op: RequestOp): void {
  if (op.case !== "requestPut") return;
  const p = op.value;
  if ((p.ignoreValue || p.ignoreLease) && rv.range(p.key, undefined).kvs.length === 0) throw keyNotFound();
  if (p.lease && s.leases !== undefined && !s.leases.exists(p.lease)) throw leaseNotFound();
}

/** etcd checkRequestRange. */
function checkRange(rv: KvView, op: RequestOp): void {
  if (op.case === "requestRange") {
    const rev = op.value.revision ?? 0;
    if (rev === 0) return;
    if (rev > rv.rev) throw new FutureRevisionError();
    if (rev < rv.firstRev) throw new CompactedError();
  }
}

function executeOps(view: KvView, rt: TxnRequest, path: TxnPath): TxnResponse {
  const responses: ResponseOp[] = [];
  let n = 0;
  for (const op of chosenOps(rt, path.succeeded)) {
    switch (op.case) {
      case "requestRange":
        responses.push({ case: "responseRange", value: applyRange(view, op.value) });
        break;
      case "requestPut":
        responses.push({ case: "responsePut", value: applyPut(view as WriteTxn, op.value) });
        break;
      case "requestDeleteRange":
        responses.push({ case: "responseDeleteRange", value: applyDeleteRange(view as WriteTxn, op.value) });
        break;
      case "requestTxn":
        responses.push({ case: "responseTxn", value: executeOps(view, op.value, path.nested[n++]) });
        break;
    }
  }
  return { header: { revision: 0 }, succeeded: path.succeeded, responses };
}

/**
 * etcd Txn. Returns the response and the changes (empty for a read-only txn or one that wrote nothing).
 * Throws before changing anything if a check fails.
 */
export function applyTxn(s: KvState, rt: TxnRequest): { resp: TxnResponse; changes: KeyValue[] } {
  const isWrite = !isTxnReadonly(rt);
  const rv = s.readView();
  const path = compareToPath(rv, rt);
  if (isWrite) forEachChosenOp(rt, path, (op) => checkPut(s, rv, op));
  forEachChosenOp(rt, path, (op) => checkRange(rv, op));
  if (!isWrite) {
    const resp = executeOps(rv, rt, path);
    resp.header.revision = rv.rev;
    return { resp, changes: [] };
  }
  const txn = new WriteTxn(s);
  let resp: TxnResponse;
  try {
    resp = executeOps(txn, rt, path);
  } finally {
    txn.end();
  }
  resp.header.revision = txn.changes.length > 0 ? txn.beginRev + 1 : txn.beginRev;
  return { resp, changes: txn.changes };
}
