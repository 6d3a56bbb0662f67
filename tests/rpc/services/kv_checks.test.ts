// key.go's request checks (rpc/services/kv_checks.ts) on their own: each error with etcd's exact message and
// code, the txn op budget handed down to nested txns, and checkIntervals' duplicate-key rules.
import { describe, expect, test } from "bun:test";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { rpctypes, type EtcdRpcError } from "../../../rpc/errors.ts";
import {
  DeleteRangeRequestSchema, PutRequestSchema, RangeRequestSchema, TxnRequestSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import {
  checkDeleteRequest, checkPutRequest, checkRangeRequest, checkTxnIntervals, checkTxnRequest,
} from "../../../rpc/services/kv_checks.ts";

const b = (s: string) => new TextEncoder().encode(s);
const txn = (t: MessageInitShape<typeof TxnRequestSchema>) => create(TxnRequestSchema, t);
const op = {
  put: (k: string) => ({ request: { case: "requestPut" as const, value: { key: b(k), value: b("v") } } }),
  get: (k: string) => ({ request: { case: "requestRange" as const, value: { key: b(k) } } }),
  del: (k: string, end = "") => ({ request: { case: "requestDeleteRange" as const, value: { key: b(k), rangeEnd: b(end) } } }),
  txn: (t: MessageInitShape<typeof TxnRequestSchema>) => ({ request: { case: "requestTxn" as const, value: t } }),
};

function expectRpcError(f: () => void, want: EtcdRpcError) {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConnectError);
  expect({ code: (err as ConnectError).code, message: (err as ConnectError).rawMessage }).toEqual({ code: want.code, message: want.message });
}

describe("Range / Put / DeleteRange checks", () => {
  test("an empty key is 'key is not provided' (InvalidArgument) for each", () => {
    expectRpcError(() => checkRangeRequest(create(RangeRequestSchema, { rangeEnd: b("z") })), rpctypes.EmptyKey);
    expectRpcError(() => checkPutRequest(create(PutRequestSchema, { value: b("v") })), rpctypes.EmptyKey);
    expectRpcError(() => checkDeleteRequest(create(DeleteRangeRequestSchema, {})), rpctypes.EmptyKey);
    expect(rpctypes.EmptyKey).toEqual({ code: Code.InvalidArgument, message: "etcdserver: key is not provided" });
  });

  test("put ignore_value with a value, ignore_lease with a lease are refused; without them they pass", () => {
    expectRpcError(() => checkPutRequest(create(PutRequestSchema, { key: b("k"), value: b("v"), ignoreValue: true })), rpctypes.ValueProvided);
    expectRpcError(() => checkPutRequest(create(PutRequestSchema, { key: b("k"), lease: 5n, ignoreLease: true })), rpctypes.LeaseProvided);
    checkPutRequest(create(PutRequestSchema, { key: b("k"), ignoreValue: true, ignoreLease: true }));
    checkPutRequest(create(PutRequestSchema, { key: b("k"), value: b("v"), lease: 5n }));
  });

  test("the key check comes first (empty key with ignore_value and a value → key is not provided)", () => {
    expectRpcError(() => checkPutRequest(create(PutRequestSchema, { value: b("v"), ignoreValue: true })), rpctypes.EmptyKey);
  });
});

describe("Txn checks (checkTxnRequest)", () => {
  test("more than maxTxnOps compares, success or failure ops is 'too many operations'; exactly max passes", () => {
    const ops = (n: number) => Array.from({ length: n }, (_, i) => op.put(`k${i}`));
    checkTxnRequest(txn({ success: ops(3), failure: ops(3) }), 3);
    expectRpcError(() => checkTxnRequest(txn({ success: ops(4) }), 3), rpctypes.TooManyOps);
    expectRpcError(() => checkTxnRequest(txn({ failure: ops(4) }), 3), rpctypes.TooManyOps);
    const compares = Array.from({ length: 4 }, (_, i) => ({ key: b(`c${i}`) }));
    expectRpcError(() => checkTxnRequest(txn({ compare: compares }), 3), rpctypes.TooManyOps);
  });

  test("a nested txn gets maxTxnOps minus its parent's largest list (etcd's budget)", () => {
    // parent has 2 ops, max 4 → the nested txn may have up to 2
    checkTxnRequest(txn({ success: [op.put("a"), op.txn({ success: [op.put("b"), op.put("c")] })] }), 4);
    expectRpcError(() => checkTxnRequest(txn({ success: [op.put("a"), op.txn({ success: [op.put("b"), op.put("c"), op.put("d")] })] }), 4), rpctypes.TooManyOps);
  });

  test("empty keys in compares, in ops and in nested ops are 'key is not provided'", () => {
    expectRpcError(() => checkTxnRequest(txn({ compare: [{ key: b("") }] }), 128), rpctypes.EmptyKey);
    expectRpcError(() => checkTxnRequest(txn({ success: [op.get("")] }), 128), rpctypes.EmptyKey);
    expectRpcError(() => checkTxnRequest(txn({ failure: [op.del("")] }), 128), rpctypes.EmptyKey);
    expectRpcError(() => checkTxnRequest(txn({ success: [op.txn({ failure: [op.put("")] })] }), 128), rpctypes.EmptyKey);
  });

  test("a put inside a txn gets the put checks", () => {
    const bad = { request: { case: "requestPut" as const, value: { key: b("k"), lease: 1n, ignoreLease: true } } };
    expectRpcError(() => checkTxnRequest(txn({ success: [bad] }), 128), rpctypes.LeaseProvided);
  });

  test("an empty RequestOp is 'key not found' (etcd's checkRequestOp default)", () => {
    const empty: MessageInitShape<typeof TxnRequestSchema>["success"] = [{}];
    expectRpcError(() => checkTxnRequest(txn({ success: empty }), 128), rpctypes.KeyNotFound);
  });
});

describe("Txn duplicate keys (checkIntervals)", () => {
  const dup = (t: MessageInitShape<typeof TxnRequestSchema>) => expectRpcError(() => checkTxnIntervals(txn(t)), rpctypes.DuplicateKey);
  const ok = (t: MessageInitShape<typeof TxnRequestSchema>) => checkTxnIntervals(txn(t));

  test("the same key put twice in one branch, or put and deleted, is a duplicate", () => {
    dup({ success: [op.put("a"), op.put("a")] });
    dup({ failure: [op.put("a"), op.del("a")] });
    dup({ success: [op.del("a", "c"), op.put("b")] });
  });

  test("put in success and failure, puts beside reads, and puts outside a deleted range are fine", () => {
    ok({ success: [op.put("a")], failure: [op.put("a")] });
    ok({ success: [op.put("a"), op.get("a"), op.put("b")] });
    ok({ success: [op.del("a", "b"), op.put("b")] });
  });

  test("nested txns: a key put in both branches of one nested txn is fine, but not also at the outer level", () => {
    ok({ success: [op.txn({ success: [op.put("a")], failure: [op.put("a")] })] });
    dup({ success: [op.put("a"), op.txn({ success: [op.put("a")] })] });
    dup({ success: [op.del("a"), op.txn({ failure: [op.put("a")] })] });
  });

  test("etcd quirk: a delete with range_end \\0 (every key ≥ key) never conflicts with a put", () => {
    ok({ success: [op.del("a", "\0"), op.put("b")] });
  });
});
