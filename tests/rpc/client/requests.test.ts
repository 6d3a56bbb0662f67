// The library's options → etcd's request messages: sort, compare targets and operators, txn ops, watch filters.
import { describe, expect, test } from "bun:test";
import {
  Compare_CompareResult, Compare_CompareTarget, RangeRequest_SortOrder, RangeRequest_SortTarget, WatchCreateRequest_FilterType,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { putRequest, rangeRequest, txnRequest, watchCreateRequest } from "../../../rpc/client/requests.ts";
import { toBytes } from "../../../rpc/client/keys.ts";
import type { Compare } from "../../../rpc/client/types.ts";

describe("requests", () => {
  test("range: sort absent = NONE (etcd's default order), present = target and order; numbers become int64", () => {
    expect(rangeRequest({ key: "a" })).toMatchObject({ sortOrder: RangeRequest_SortOrder.NONE, sortTarget: RangeRequest_SortTarget.KEY, limit: 0n, revision: 0n });
    expect(rangeRequest({ prefix: "a", sort: { target: "modRevision", order: "descend" }, limit: 5, revision: 9, serializable: true })).toMatchObject({
      sortOrder: RangeRequest_SortOrder.DESCEND, sortTarget: RangeRequest_SortTarget.MOD, limit: 5n, revision: 9n, serializable: true,
    });
    expect(rangeRequest({ key: "a", sort: {} })).toMatchObject({ sortOrder: RangeRequest_SortOrder.ASCEND });
    expect(() => rangeRequest({ key: "a", limit: 1.5 })).toThrow(/integer/);
  });

  test("put carries lease and flags", () => {
    expect(putRequest("k", "v", { lease: 7n, prevKv: true, ignoreLease: true })).toMatchObject({
      key: toBytes("k"), value: toBytes("v"), lease: 7n, prevKv: true, ignoreLease: true, ignoreValue: false,
    });
  });

  test("compare: one target each, operator mapping, default ==", () => {
    const cases: [Compare, Compare_CompareTarget, Compare_CompareResult, string, unknown][] = [
      [{ key: "k", value: "x" }, Compare_CompareTarget.VALUE, Compare_CompareResult.EQUAL, "value", toBytes("x")],
      [{ key: "k", version: 0, op: "!=" }, Compare_CompareTarget.VERSION, Compare_CompareResult.NOT_EQUAL, "version", 0n],
      [{ key: "k", createRevision: 3, op: "<" }, Compare_CompareTarget.CREATE, Compare_CompareResult.LESS, "createRevision", 3n],
      [{ key: "k", modRevision: 4, op: ">" }, Compare_CompareTarget.MOD, Compare_CompareResult.GREATER, "modRevision", 4n],
      [{ prefix: "p", lease: 5n }, Compare_CompareTarget.LEASE, Compare_CompareResult.EQUAL, "lease", 5n],
    ];
    for (const [c, target, result, kase, value] of cases) {
      const wire = txnRequest({ compare: [c] }).compare[0]!;
      expect(wire).toMatchObject({ target, result, targetUnion: { case: kase, value } });
    }
    expect(txnRequest({ compare: [{ prefix: "p", lease: 5n }] }).compare[0]).toMatchObject({ key: toBytes("p"), rangeEnd: toBytes("q") });
    expect(() => txnRequest({ compare: [{ key: "k" } as unknown as Compare] })).toThrow(/needs one of/);
  });

  test("txn ops map onto RequestOp cases, nested txn included", () => {
    const t = txnRequest({
      success: [{ type: "put", key: "a", value: "1" }, { type: "range", prefix: "a" }, { type: "delete", key: "a", prevKv: true }, { type: "txn", success: [{ type: "range", key: "b" }] }],
    });
    expect(t.success.map((op) => op.request.case)).toEqual(["requestPut", "requestRange", "requestDeleteRange", "requestTxn"]);
    expect(t.failure).toEqual([]);
    const nested = t.success[3]!.request;
    expect(nested.case === "requestTxn" && nested.value.success[0]!.request.case).toBe("requestRange");
  });

  test("watch: filters and start revision", () => {
    expect(watchCreateRequest({ prefix: "w" }, { noPut: true, noDelete: true, startRevision: 12, prevKv: true })).toMatchObject({
      key: toBytes("w"), rangeEnd: toBytes("x"), filters: [WatchCreateRequest_FilterType.NOPUT, WatchCreateRequest_FilterType.NODELETE], startRevision: 12n, prevKv: true,
    });
  });
});
