// Request and response shapes of the store's KV API, mirroring etcdserverpb (rpc.proto) field by field in
// camelCase so the RPC layer maps protobuf messages 1:1. Enum values equal the protobuf numbers. Byte fields
// are Uint8Array; int64 revisions/versions are numbers (exact below 2^53); lease IDs are bigint (full int64).
// Range ends follow the wire convention: absent or empty = the single key, [0x00] = every key ≥ key,
// otherwise [key, rangeEnd). Responses carry only `header.revision`; the server fills cluster/member/term.

import type { KeyValue } from "./key_value.ts";

export const SortOrder = { NONE: 0, ASCEND: 1, DESCEND: 2 } as const;
export type SortOrder = (typeof SortOrder)[keyof typeof SortOrder];

export const SortTarget = { KEY: 0, VERSION: 1, CREATE: 2, MOD: 3, VALUE: 4 } as const;
export type SortTarget = (typeof SortTarget)[keyof typeof SortTarget];

export const CompareResult = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
export type CompareResult = (typeof CompareResult)[keyof typeof CompareResult];

export const CompareTarget = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;
export type CompareTarget = (typeof CompareTarget)[keyof typeof CompareTarget];

export interface ResponseHeader {
  revision: number;
}

export interface RangeRequest {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  limit?: number;
  revision?: number;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export interface PutRequest {
  key: Uint8Array;
  value?: Uint8Array;
  lease?: bigint;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResponse {
  header: ResponseHeader;
  prevKv?: KeyValue;
}

export interface DeleteRangeRequest {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  header: ResponseHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

/** etcdserverpb.Compare; the target_union member matching `target` is read, absent = zero value. */
export interface Compare {
  result: CompareResult;
  target: CompareTarget;
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  version?: number;
  createRevision?: number;
  modRevision?: number;
  value?: Uint8Array;
  lease?: bigint;
}

/** etcdserverpb.RequestOp's `request` oneof, in @bufbuild/protobuf's {case, value} form. */
export type RequestOp =
  | { case: "requestRange"; value: RangeRequest }
  | { case: "requestPut"; value: PutRequest }
  | { case: "requestDeleteRange"; value: DeleteRangeRequest }
  | { case: "requestTxn"; value: TxnRequest };

export type ResponseOp =
  | { case: "responseRange"; value: RangeResponse }
  | { case: "responsePut"; value: PutResponse }
  | { case: "responseDeleteRange"; value: DeleteRangeResponse }
  | { case: "responseTxn"; value: TxnResponse };

export interface TxnRequest {
  compare?: Compare[];
  success?: RequestOp[];
  failure?: RequestOp[];
}

/** Nested txn responses have header.revision 0, as etcd's newTxnResp leaves them. */
export interface TxnResponse {
  header: ResponseHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface CompactionResponse {
  header: ResponseHeader;
  /** Resolves when the backend has deleted the compacted revisions (etcd's physical compaction). */
  done: Promise<void>;
}

export interface HashResponse {
  hash: number;
  /** The store's current revision (HashResponse header revision). */
  revision: number;
}

export interface HashKVResponse {
  hash: number;
  /** The store's current revision when hashed (header revision). */
  revision: number;
  /** The last compaction revision; -1 when never compacted, as etcd reports it. */
  compactRevision: number;
}

/** A Raft entry's position, recorded as consistent_index/term in the same backend commit as its effects. */
export interface AppliedEntry {
  index: number;
  term: number;
}

/**
 * How the store reaches the lessor (etcd lease.Lessor), owned by the lease issue: put validates the lease
 * exists, moves the key between leases; restore re-attaches keys. Without one, lease IDs are stored as given.
 */
export interface LeaseBinding {
  exists(id: bigint): boolean;
  /** The lease the key is attached to, 0n if none (etcd lessor.GetLease). */
  leaseOf(key: Uint8Array): bigint;
  attach(id: bigint, key: Uint8Array): void;
  detach(id: bigint, key: Uint8Array): void;
}
