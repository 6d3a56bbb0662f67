// Errors the WAL raises. Every corruption error names the segment file and the byte offset of the
// record that failed, so an operator can inspect or cut the file by hand.

export type WalErrorCode =
  | "exists" // create: the directory already holds a WAL
  | "not-found" // open: no segment covers the requested snapshot
  | "snapshot-not-found" // open: the segments hold no snapshot record for the requested index
  | "snapshot-mismatch" // open: the snapshot record has a different term
  | "entry-gap" // open: an entry index skips past the log read so far
  | "corrupt" // open: a record before the tail fails its checks (see WalCorruptionError)
  | "closed" // the WAL was closed
  | "failed"; // an earlier write or sync failed; the WAL refuses further writes

export class WalError extends Error {
  override name = "WalError";
  constructor(
    readonly code: WalErrorCode,
    message: string,
  ) {
    super(`wal: ${message}`);
  }
}

/** A record that is not a torn tail failed to decode: bad checksum, impossible length, unknown type... */
export class WalCorruptionError extends WalError {
  override name = "WalCorruptionError";
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super("corrupt", `${file}: corrupt record at byte offset ${offset}: ${reason}`);
  }
}
