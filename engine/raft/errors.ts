// Errors the Raft module raises. Each is its own class so callers can test with instanceof.

export class RaftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A proposal (or read, or transfer) could not be taken: no known leader, transfer in progress, or removed. */
export class ProposalDroppedError extends RaftError {
  constructor(reason = "raft proposal dropped") {
    super(reason);
  }
}

/** The requested index is older than the storage's first index (compacted into a snapshot). */
export class CompactedError extends RaftError {
  constructor() {
    super("requested index is unavailable due to compaction");
  }
}

/** The requested index is beyond the storage's last index. */
export class UnavailableError extends RaftError {
  constructor() {
    super("requested entry at index is unavailable");
  }
}

/** A snapshot older than the storage's current one was offered. */
export class SnapshotOutOfDateError extends RaftError {
  constructor() {
    super("requested index is older than the existing snapshot");
  }
}

/** Storage cannot produce a snapshot right now; the leader retries later. */
export class SnapshotTemporarilyUnavailableError extends RaftError {
  constructor() {
    super("snapshot is temporarily unavailable");
  }
}

/** A local-only message type arrived through step(). */
export class StepLocalMessageError extends RaftError {
  constructor() {
    super("raft: cannot step raft local message");
  }
}

/** A response arrived from a node that is not in the configuration. */
export class StepPeerNotFoundError extends RaftError {
  constructor() {
    super("raft: cannot step as peer not found");
  }
}

/** The caller broke the ready()/advance() protocol or the module's own invariants were violated. */
export class RaftInvariantError extends RaftError {}
