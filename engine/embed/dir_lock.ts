// The data directory is one member's: one process at a time. bunetcd and etcd both hold an exclusive flock
// on the backend file (member/snap/db) while they run, so trying that lock first tells whether anyone — in
// this process or another — has the directory open, before anything in it is read or rewritten.
// Invariant: the probe's lock is released at once (the member takes its own when it starts).
import { closeSync, constants, existsSync, openSync } from "node:fs";
import { LockedError, lockFd } from "../fs/lock.ts";
import { backendPath } from "../server/bootstrap.ts";
import { DataDirLockedError } from "./errors.ts";

/** Throws DataDirLockedError when another open holds the directory's backend lock. */
export function assertDataDirFree(dir: string): void {
  const db = backendPath(dir);
  if (!existsSync(db)) return;
  const fd = openSync(db, constants.O_RDONLY);
  try {
    lockFd(fd, db);
  } catch (e) {
    throw e instanceof LockedError ? new DataDirLockedError(dir) : e;
  } finally {
    closeSync(fd);
  }
}

/** A LockedError from starting the member (a lock taken between the probe and the start) as DataDirLockedError. */
export function lockErrorOf(e: unknown, dir: string): unknown {
  return e instanceof LockedError ? new DataDirLockedError(dir) : e;
}
