// The public types of bunetcd's library API: one interface, `Etcd`, served both by the embedded store
// (open(), engine/embed) and by the remote client (connect(), rpc/client/connect.ts), so code can switch
// between the two. Keys and values go in as string (UTF-8) or Uint8Array and come back as Uint8Array.
// Revisions, versions and TTLs are numbers (int64 on the wire, far below 2^53 in practice); lease IDs are
// bigint because etcd picks them across the whole int64 range.

/** A key or value: a string (encoded as UTF-8) or raw bytes. */
export type Bytes = string | Uint8Array;

/** A lease ID (etcd's int64 LeaseID). 0n means "no lease". */
export type LeaseId = bigint;

/** One key as etcd stores it (mvccpb.KeyValue). */
export interface KeyValue {
  key: Uint8Array;
  /** Empty when the read asked for keys only. */
  value: Uint8Array;
  /** Revision of the last creation of the key. */
  createRevision: number;
  /** Revision of the last change (put or delete) of the key. */
  modRevision: number;
  /** Number of puts since the key was (re)created; a delete resets it to 0. */
  version: number;
  /** The lease the key is attached to, or 0n. */
  lease: LeaseId;
}

/**
 * The keys an operation applies to. Exactly one form:
 * - `{ key }`: that key alone;
 * - `{ key, end }`: keys in [key, end); `end: "\0"` means every key ≥ key;
 * - `{ end }`: every key < end;
 * - `{ prefix }`: every key that starts with prefix; `{ prefix: "" }` is every key.
 */
export interface KeyRange {
  key?: Bytes;
  end?: Bytes;
  prefix?: Bytes;
}

/** What key-taking methods accept: one key (string or bytes) or a KeyRange. */
export type KeySelector = Bytes | KeyRange;

/** Sorting of range results (etcd sorts by key, ascending, when none is given). */
export interface SortOptions {
  target?: "key" | "version" | "createRevision" | "modRevision" | "value";
  order?: "ascend" | "descend";
}

/** Options common to reads. */
export interface ReadOptions {
  /** Read the store as of this revision (0 or absent = current). Throws "compacted" below the compact revision. */
  revision?: number;
  /** Serve from the local member without a consensus round (etcd's --consistency=s); may be stale on a follower. */
  serializable?: boolean;
}

/** A range read: the keys of a KeyRange, with etcd's RangeRequest options. */
export interface RangeOptions extends KeyRange, ReadOptions {
  /** At most this many keys (0 or absent = no limit); `more` tells whether keys were left out. */
  limit?: number;
  sort?: SortOptions;
  /** Return keys without values. */
  keysOnly?: boolean;
  /** Return only the count. */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Keys in the range (all of them, not only those returned under `limit`). */
  count: number;
  /** True when `limit` left keys out. */
  more: boolean;
  /** The store revision the read saw. */
  revision: number;
}

export interface PutOptions {
  /** Attach the key to this lease (it is deleted when the lease expires or is revoked). */
  lease?: LeaseId;
  /** Return the key as it was before the put, in `prevKv`. */
  prevKv?: boolean;
  /** Keep the current value (etcd ignore_value); `value` must then be empty. */
  ignoreValue?: boolean;
  /** Keep the current lease (etcd ignore_lease). */
  ignoreLease?: boolean;
}

export interface PutResult {
  /** The revision of the put. */
  revision: number;
  prevKv?: KeyValue;
}

export interface DeleteOptions {
  /** Return the deleted keys in `prevKvs`. */
  prevKv?: boolean;
}

export interface DeleteResult {
  /** Number of keys deleted. */
  deleted: number;
  /** The store revision after the delete (unchanged when nothing was deleted). */
  revision: number;
  prevKvs: KeyValue[];
}

/** Comparison operator of a txn condition; default "==". */
export type CompareOp = "==" | "!=" | "<" | ">";

/**
 * One txn condition on a key (or every key of a range): exactly one of value, version, createRevision,
 * modRevision or lease is compared with `op`. A missing key has version, createRevision and modRevision 0.
 * Example: `{ key: "lock", version: 0 }` holds when "lock" does not exist.
 */
export type Compare = KeyRange & { op?: CompareOp } & (
    | { value: Bytes; version?: never; createRevision?: never; modRevision?: never; lease?: never }
    | { version: number; value?: never; createRevision?: never; modRevision?: never; lease?: never }
    | { createRevision: number; value?: never; version?: never; modRevision?: never; lease?: never }
    | { modRevision: number; value?: never; version?: never; createRevision?: never; lease?: never }
    | { lease: LeaseId; value?: never; version?: never; createRevision?: never; modRevision?: never }
  );

/** One operation of a txn branch. */
export type TxnOp =
  | ({ type: "put"; key: Bytes; value: Bytes } & PutOptions)
  | ({ type: "range" } & RangeOptions)
  | ({ type: "delete" } & KeyRange & DeleteOptions)
  | ({ type: "txn" } & TxnRequest);

/** The result of one txn operation, in the order of the branch that ran. */
export type TxnOpResult =
  | ({ type: "put" } & PutResult)
  | ({ type: "range" } & RangeResult)
  | ({ type: "delete" } & DeleteResult)
  | ({ type: "txn" } & TxnResult);

/** An atomic if/then/else: if every `compare` holds, `success` runs, else `failure`. */
export interface TxnRequest {
  compare?: Compare[];
  success?: TxnOp[];
  failure?: TxnOp[];
}

export interface TxnResult {
  /** True when every comparison held (the success branch ran). */
  succeeded: boolean;
  /** The store revision after the txn. */
  revision: number;
  results: TxnOpResult[];
}

export interface WatchOptions {
  /** Deliver changes from this revision on (may be in the past, if not compacted); default: from the next change. */
  startRevision?: number;
  /** Attach the previous version of each key to its event. */
  prevKv?: boolean;
  /** Drop put events. */
  noPut?: boolean;
  /** Drop delete events. */
  noDelete?: boolean;
  /** Stop the watch when this signal aborts (the iterator then ends normally). */
  signal?: AbortSignal;
}

export interface WatchEvent {
  type: "put" | "delete";
  /** The key after the change; for a delete, the key with an empty value and modRevision = the delete's revision. */
  kv: KeyValue;
  /** The key before the change, when the watch asked for prevKv and it is still available. */
  prevKv?: KeyValue;
}

/**
 * A running watch: iterate it with `for await` to receive events in revision order; leaving the loop (break,
 * return, throw) or close() cancels it. It can be iterated once. If startRevision was compacted, iteration
 * throws an EtcdError with code "OutOfRange" and `compactRevision` set. Remote, a broken connection or a
 * server restart is ridden out: the watch resumes after the last event delivered (none lost or repeated).
 * Embedded, the iteration ends when the store closes.
 */
export interface Watch extends AsyncIterable<WatchEvent> {
  /**
   * Resolves once the server registered the watch, with the store revision at that moment: every change after
   * it will be delivered. Await it before writing if the watch must see those writes. Rejects if the watch
   * was refused.
   */
  readonly ready: Promise<number>;
  /** Cancels the watch; a loop iterating it ends. Idempotent. */
  close(): void;
}

export interface LeaseGrant {
  id: LeaseId;
  /** The TTL granted in seconds (the server may raise a small one to its minimum). */
  ttl: number;
}

export interface LeaseTimeToLive {
  id: LeaseId;
  /** Seconds left. */
  ttl: number;
  /** The TTL the lease was granted (or last renewed to). */
  grantedTtl: number;
  /** Keys attached to the lease, when asked for with `keys: true`. */
  keys: Uint8Array[];
}

/**
 * A lease kept alive: renewed every third of its TTL until close(). `done` settles when renewing stops: it
 * resolves after close() and rejects with an EtcdError when the lease is gone (expired or revoked: code
 * "NotFound"), or, remote, when the server stayed unreachable longer than the TTL (code "Unavailable"; shorter
 * outages are ridden out). A rejection nobody awaits is not reported as unhandled.
 */
export interface KeepAlive {
  readonly id: LeaseId;
  /** The TTL of the last renewal, in seconds. */
  readonly ttl: number;
  readonly done: Promise<void>;
  close(): void;
}

export interface LeaseApi {
  /** Grants a lease of `ttl` seconds; `id` picks the ID (default: the server picks one). */
  grant(ttl: number, opts?: { id?: LeaseId }): Promise<LeaseGrant>;
  /** Revokes a lease: every key attached to it is deleted. Throws code "NotFound" for an unknown lease. */
  revoke(id: LeaseId): Promise<void>;
  /** Renews once; resolves with the new TTL. Throws code "NotFound" for an unknown or expired lease. */
  keepAliveOnce(id: LeaseId): Promise<LeaseGrant>;
  /** Renews once now (same errors as keepAliveOnce), then keeps renewing until close(). */
  keepAlive(id: LeaseId): Promise<KeepAlive>;
  /** The lease's remaining TTL, or undefined when it does not exist. */
  timeToLive(id: LeaseId, opts?: { keys?: boolean }): Promise<LeaseTimeToLive | undefined>;
  /** Every live lease. */
  leases(): Promise<LeaseId[]>;
}

export interface CompactOptions {
  /** Wait until the old revisions are removed from the backend (etcd's --physical). */
  physical?: boolean;
}

export interface SnapshotResult {
  /** Bytes written (the backend file plus its trailing sha256, as `etcdctl snapshot save` writes it). */
  size: number;
}

export interface StatusResult {
  /** The etcd API version the member implements. */
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  memberId: bigint;
  clusterId: bigint;
  leader: bigint;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  revision: number;
  /** Active alarms, as etcd words them. */
  errors: string[];
}

/** The etcd API shared by the embedded store (open()) and the remote client (connect()). */
export interface Etcd {
  put(key: Bytes, value: Bytes, opts?: PutOptions): Promise<PutResult>;
  /** One key, or undefined when it does not exist. */
  get(key: Bytes, opts?: ReadOptions): Promise<KeyValue | undefined>;
  range(opts: RangeOptions): Promise<RangeResult>;
  delete(keys: KeySelector, opts?: DeleteOptions): Promise<DeleteResult>;
  txn(req: TxnRequest): Promise<TxnResult>;
  /** Watches one key or a range; see Watch. */
  watch(keys: KeySelector, opts?: WatchOptions): Watch;
  readonly lease: LeaseApi;
  /** Discards the history before `revision` (reads below it then fail with "compacted"). */
  compact(revision: number, opts?: CompactOptions): Promise<void>;
  /**
   * Writes a consistent copy of the backend to `path` (first `path.part`, then renamed), in the format of
   * `etcdctl snapshot save`: `etcdctl snapshot status` and `snapshot restore` accept it.
   */
  snapshot(path: string): Promise<SnapshotResult>;
  /** The member's status (etcdctl endpoint status). */
  status(): Promise<StatusResult>;
  /** Ends watches and keep-alives and releases the store or connection. Idempotent. */
  close(): Promise<void>;
  /** close(), so that `await using db = await open(…)` closes the store at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}
