// Txn compares (etcdserver/apply.go applyCompare / compareKV): the compare reads its key or range at the
// view's revision; every key in it must satisfy the compare. A range with no keys compares a zero KeyValue
// (version 0, create 0, mod 0, lease 0), except that a VALUE compare on no keys always fails.

import type { KeyValue } from "./key_value.ts";
import { keyValue } from "./key_value.ts";
import type { KvView } from "./kv_state.ts";
import { compareBytes } from "../bytes/compare.ts";
import { type Compare, CompareResult, CompareTarget } from "./requests.ts";

const EMPTY = new Uint8Array(0);
const ZERO_KV = keyValue({});

function sign(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKv(c: Compare, kv: KeyValue): boolean {
  let result: number;
  switch (c.target) {
    case CompareTarget.VALUE:
      result = compareBytes(kv.value, c.value ?? EMPTY);
      break;
    case CompareTarget.CREATE:
      result = sign(kv.createRevision, c.createRevision ?? 0);
      break;
    case CompareTarget.MOD:
      result = sign(kv.modRevision, c.modRevision ?? 0);
      break;
    case CompareTarget.VERSION:
      result = sign(kv.version, c.version ?? 0);
      break;
    case CompareTarget.LEASE:
      result = sign(kv.lease, c.lease ?? 0n);
      break;
    default:
      result = 0;
  }
  switch (c.result) {
    case CompareResult.EQUAL:
      return result === 0;
    case CompareResult.NOT_EQUAL:
      return result !== 0;
    case CompareResult.GREATER:
      return result > 0;
    case CompareResult.LESS:
      return result < 0;
    default:
      return true;
  }
}

/** etcd applyCompare; a read error (none expected at the view's own revision) makes the compare fail. */
export function applyCompare(view: KvView, c: Compare): boolean {
  let kvs: KeyValue[];
  try {
    kvs = view.range(c.key, c.rangeEnd, {}).kvs;
  } catch {
    return false;
  }
  if (kvs.length === 0) return c.target !== CompareTarget.VALUE && compareKv(c, ZERO_KV);
  return kvs.every((kv) => compareKv(c, kv));
}

export function applyCompares(view: KvView, cmps: readonly Compare[] | undefined): boolean {
  return (cmps ?? []).every((c) => applyCompare(view, c));
}
