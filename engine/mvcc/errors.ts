// Named MVCC errors with etcd 3.4's exact messages (mvcc/key_index.go, mvcc/kvstore.go), so the gRPC layer
// can map them and clients see the strings they expect. Internal invariant violations (etcd panics) throw
// plain Errors instead; those are bugs, not results.

/** etcd ErrRevisionNotFound: tombstone of a key that is not live (or absent). */
export class RevisionNotFoundError extends Error {
  constructor() {
    super("mvcc: revision not found");
    this.name = "RevisionNotFoundError";
  }
}

/** etcd ErrCompacted: a read below the compacted revision. */
export class CompactedError extends Error {
  constructor() {
    super("mvcc: required revision has been compacted");
    this.name = "CompactedError";
  }
}

/** etcd ErrFutureRev: a read above the current revision. */
export class FutureRevisionError extends Error {
  constructor() {
    super("mvcc: required revision is a future revision");
    this.name = "FutureRevisionError";
  }
}

/** etcd ErrClosed: an operation on a closed store. */
export class StoreClosedError extends Error {
  constructor() {
    super("mvcc: closed");
    this.name = "StoreClosedError";
  }
}

/**
 * Errors etcd raises above mvcc (etcdserver/errors.go, v3rpc/rpctypes, lease/lessor.go) for requests the store
 * validates itself. `code` names the gRPC status the RPC layer should use.
 */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: "InvalidArgument" | "NotFound",
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/** etcdserver ErrKeyNotFound (ignore_value / ignore_lease on a missing key). */
export const keyNotFound = () => new RequestError("etcdserver: key not found", "InvalidArgument");
/** rpctypes ErrGRPCDuplicateKey (v3rpc/key.go checkIntervals). */
export const duplicateKey = () => new RequestError("etcdserver: duplicate key given in txn request", "InvalidArgument");
/** lease ErrLeaseNotFound (a put naming a lease the lessor does not know). */
export const leaseNotFound = () => new RequestError("lease not found", "NotFound");

/** Watch errors (mvcc/watcher.go). */
export class WatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WatchError";
  }
}
export const emptyWatcherRange = () => new WatchError("mvcc: watcher range is empty");
export const watcherNotExist = () => new WatchError("mvcc: watcher does not exist");
export const duplicateWatchId = () => new WatchError("mvcc: duplicate watch ID provided on the WatchStream");
