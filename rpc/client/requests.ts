// The library's options → etcd's request messages (etcdserverpb), as clientv3 builds them: the same bytes
// go to the embedded services and over the wire. Compare and TxnOp unions map onto Compare.targetUnion
// and RequestOp.request.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Compare_CompareResult, Compare_CompareTarget, CompareSchema, DeleteRangeRequestSchema, type DeleteRangeRequest,
  PutRequestSchema, type PutRequest, RangeRequest_SortOrder, RangeRequest_SortTarget, RangeRequestSchema, type RangeRequest,
  type RequestOp, RequestOpSchema, TxnRequestSchema, type TxnRequest as WireTxnRequest, type WatchCreateRequest, WatchCreateRequestSchema,
  WatchCreateRequest_FilterType,
} from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { toBytes, wireRange } from "./keys.ts";
import type { Bytes, Compare, DeleteOptions, KeySelector, PutOptions, RangeOptions, TxnOp, TxnRequest, WatchOptions } from "./types.ts";

const SORT_TARGET = {
  key: RangeRequest_SortTarget.KEY, version: RangeRequest_SortTarget.VERSION, createRevision: RangeRequest_SortTarget.CREATE,
  modRevision: RangeRequest_SortTarget.MOD, value: RangeRequest_SortTarget.VALUE,
} as const;

const COMPARE_OP = { "==": Compare_CompareResult.EQUAL, "!=": Compare_CompareResult.NOT_EQUAL, "<": Compare_CompareResult.LESS, ">": Compare_CompareResult.GREATER } as const;

const int = (n: number | undefined, what: string): bigint => {
  if (n === undefined) return 0n;
  if (!Number.isSafeInteger(n)) throw new TypeError(`bunetcd: ${what} must be an integer (got ${n})`);
  return BigInt(n);
};

export function rangeRequest(o: RangeOptions): RangeRequest {
  const sort = o.sort;
  return create(RangeRequestSchema, {
    ...wireRange(o),
    revision: int(o.revision, "revision"),
    limit: int(o.limit, "limit"),
    serializable: o.serializable ?? false,
    keysOnly: o.keysOnly ?? false,
    countOnly: o.countOnly ?? false,
    sortTarget: SORT_TARGET[sort?.target ?? "key"],
    sortOrder: sort ? (sort.order === "descend" ? RangeRequest_SortOrder.DESCEND : RangeRequest_SortOrder.ASCEND) : RangeRequest_SortOrder.NONE,
  });
}

export function putRequest(key: Bytes, value: Bytes, o: PutOptions = {}): PutRequest {
  return create(PutRequestSchema, {
    key: toBytes(key), value: toBytes(value), lease: o.lease ?? 0n, prevKv: o.prevKv ?? false,
    ignoreValue: o.ignoreValue ?? false, ignoreLease: o.ignoreLease ?? false,
  });
}

export function deleteRequest(keys: KeySelector, o: DeleteOptions = {}): DeleteRangeRequest {
  return create(DeleteRangeRequestSchema, { ...wireRange(keys), prevKv: o.prevKv ?? false });
}

function compare(c: Compare): MessageInitShape<typeof CompareSchema> {
  const base = { ...wireRange(c), result: COMPARE_OP[c.op ?? "=="] };
  if (c.value !== undefined) return { ...base, target: Compare_CompareTarget.VALUE, targetUnion: { case: "value", value: toBytes(c.value) } };
  if (c.version !== undefined) return { ...base, target: Compare_CompareTarget.VERSION, targetUnion: { case: "version", value: int(c.version, "version") } };
  if (c.createRevision !== undefined) {
    return { ...base, target: Compare_CompareTarget.CREATE, targetUnion: { case: "createRevision", value: int(c.createRevision, "createRevision") } };
  }
  if (c.modRevision !== undefined) return { ...base, target: Compare_CompareTarget.MOD, targetUnion: { case: "modRevision", value: int(c.modRevision, "modRevision") } };
  if (c.lease !== undefined) return { ...base, target: Compare_CompareTarget.LEASE, targetUnion: { case: "lease", value: c.lease } };
  throw new TypeError("bunetcd: a txn compare needs one of value, version, createRevision, modRevision or lease");
}

function requestOp(op: TxnOp): RequestOp {
  switch (op.type) {
    case "put":
      return create(RequestOpSchema, { request: { case: "requestPut", value: putRequest(op.key, op.value, op) } });
    case "range":
      return create(RequestOpSchema, { request: { case: "requestRange", value: rangeRequest(op) } });
    case "delete":
      return create(RequestOpSchema, { request: { case: "requestDeleteRange", value: deleteRequest(op, op) } });
    case "txn":
      return create(RequestOpSchema, { request: { case: "requestTxn", value: txnRequest(op) } });
    default:
      throw new TypeError(`bunetcd: unknown txn op type ${JSON.stringify((op as { type: unknown }).type)}`);
  }
}

export function txnRequest(t: TxnRequest): WireTxnRequest {
  return create(TxnRequestSchema, {
    compare: (t.compare ?? []).map((c) => create(CompareSchema, compare(c))),
    success: (t.success ?? []).map(requestOp),
    failure: (t.failure ?? []).map(requestOp),
  });
}

export function watchCreateRequest(keys: KeySelector, o: WatchOptions = {}): WatchCreateRequest {
  const filters: WatchCreateRequest_FilterType[] = [];
  if (o.noPut) filters.push(WatchCreateRequest_FilterType.NOPUT);
  if (o.noDelete) filters.push(WatchCreateRequest_FilterType.NODELETE);
  return create(WatchCreateRequestSchema, { ...wireRange(keys), startRevision: int(o.startRevision, "startRevision"), prevKv: o.prevKv ?? false, filters });
}
