// Static checks of a TxnRequest that etcd does before applying it: the duplicate-key check of
// etcdserver/api/v3rpc/key.go checkIntervals (no key put twice, and no put inside a range deleted, on one
// level or across nested txns; a key put in both branches of one nested txn is fine), and isTxnReadonly.
// etcd runs checkIntervals in the gRPC handler before proposing; the store runs it again on apply (the
// result is deterministic, so every member agrees), and the RPC layer may call it early.
// etcd quirk kept: a delete with range_end "\0" (every key ≥ key) becomes the interval [key, "\0"), which
// is empty, so it never conflicts with a put.

import { duplicateKey } from "./errors.ts";
import { byteKey, compareBytes } from "../bytes/compare.ts";
import type { RequestOp, TxnRequest } from "./requests.ts";
import { isOpenEndedRange, isSingleKeyRange } from "./tree_index.ts";

/** A deleted interval: a single key (end undefined), [key, end), or every key ≥ key (open). */
interface Interval {
  key: Uint8Array;
  end: Uint8Array | undefined;
  open: boolean;
}

function intervalOf(key: Uint8Array, end: Uint8Array | undefined): Interval {
  if (isSingleKeyRange(end)) return { key, end: undefined, open: false };
  return { key, end, open: isOpenEndedRange(end) };
}

function covers(iv: Interval, k: Uint8Array): boolean {
  if (iv.end === undefined) return compareBytes(iv.key, k) === 0;
  return !iv.open && compareBytes(k, iv.key) >= 0 && compareBytes(k, iv.end) < 0;
}

const idOf = byteKey;

interface Written {
  puts: Map<string, Uint8Array>;
  dels: Interval[];
}

function checkIntervals(reqs: readonly RequestOp[]): Written {
  const dels: Interval[] = [];
  for (const op of reqs) if (op.case === "requestDeleteRange") dels.push(intervalOf(op.value.key, op.value.rangeEnd));
  const deleted = (k: Uint8Array) => dels.some((iv) => covers(iv, k));
  const puts = new Map<string, Uint8Array>();
  for (const op of reqs) {
    if (op.case !== "requestTxn") continue;
    const then = checkIntervals(op.value.success ?? []);
    const other = checkIntervals(op.value.failure ?? []);
    for (const [id, k] of then.puts) {
      if (puts.has(id) || deleted(k)) throw duplicateKey();
      puts.set(id, k);
    }
    for (const [id, k] of other.puts) {
      if ((puts.has(id) && !then.puts.has(id)) || deleted(k)) throw duplicateKey();
      puts.set(id, k);
    }
    dels.push(...then.dels, ...other.dels);
  }
  for (const op of reqs) {
    if (op.case !== "requestPut") continue;
    const id = idOf(op.value.key);
    if (puts.has(id) || deleted(op.value.key)) throw duplicateKey();
    puts.set(id, op.value.key);
  }
  return { puts, dels };
}

/** Throws etcd's "etcdserver: duplicate key given in txn request" where etcd's gRPC layer would. */
export function checkTxnDuplicates(txn: TxnRequest): void {
  checkIntervals(txn.success ?? []);
  checkIntervals(txn.failure ?? []);
}

function opsReadonly(ops: readonly RequestOp[] | undefined): boolean {
  return (ops ?? []).every((op) => op.case === "requestRange" || (op.case === "requestTxn" && isTxnReadonly(op.value)));
}

/** etcd isTxnReadonly: no put or delete in any branch, at any depth. */
export function isTxnReadonly(txn: TxnRequest): boolean {
  return opsReadonly(txn.success) && opsReadonly(txn.failure);
}
