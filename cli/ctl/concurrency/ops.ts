// clientv3's request options used by the concurrency recipes, as plain protobuf init shapes: the "first/last
// created key under a prefix" ranges (WithFirstCreate / WithLastCreate + WithMaxCreateRev), a create-revision
// compare, and the put/get/delete ops of a Txn. Keys are UTF-8 text, as clientv3's string keys.
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  Compare_CompareResult, Compare_CompareTarget, type CompareSchema, RangeRequest_SortOrder, RangeRequest_SortTarget,
  type RangeRequestSchema, type RequestOpSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { prefixEnd } from "../../../engine/bytes/prefix_end.ts";

export type RangeInit = MessageInitShape<typeof RangeRequestSchema>;
export type OpInit = MessageInitShape<typeof RequestOpSchema>;
export type CompareInit = MessageInitShape<typeof CompareSchema>;

const enc = new TextEncoder();
export const bytes = (s: string) => enc.encode(s);

/** Get(pfx, WithFirstCreate()): the oldest key under the prefix. */
export function firstCreate(pfx: string): RangeInit {
  const key = bytes(pfx);
  return {
    key, rangeEnd: prefixEnd(key), limit: 1n,
    sortTarget: RangeRequest_SortTarget.CREATE, sortOrder: RangeRequest_SortOrder.ASCEND,
  };
}

/** Get(pfx, WithLastCreate(), WithMaxCreateRev(maxCreateRev)): the newest key created at or before a revision. */
export function lastCreateUpTo(pfx: string, maxCreateRev: bigint): RangeInit {
  const key = bytes(pfx);
  return {
    key, rangeEnd: prefixEnd(key), limit: 1n, maxCreateRevision: maxCreateRev,
    sortTarget: RangeRequest_SortTarget.CREATE, sortOrder: RangeRequest_SortOrder.DESCEND,
  };
}

/** Compare(CreateRevision(key), "=", rev). */
export function createRevIs(key: string, rev: bigint): CompareInit {
  return {
    key: bytes(key), result: Compare_CompareResult.EQUAL, target: Compare_CompareTarget.CREATE,
    targetUnion: { case: "createRevision", value: rev },
  };
}

export const opPut = (key: string, value: string | Uint8Array, lease = 0n): OpInit => ({
  request: { case: "requestPut", value: { key: bytes(key), value: typeof value === "string" ? bytes(value) : value, lease } },
});
export const opGet = (r: RangeInit): OpInit => ({ request: { case: "requestRange", value: r } });
export const opGetKey = (key: string): OpInit => opGet({ key: bytes(key) });
export const opDelete = (key: string): OpInit => ({ request: { case: "requestDeleteRange", value: { key: bytes(key) } } });
