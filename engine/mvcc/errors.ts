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
