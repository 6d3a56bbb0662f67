// Advisory whole-file locks (flock LOCK_EX|LOCK_NB) so that one process at a time owns a data file or a WAL.
// Invariant: a lock is held as long as its file descriptor is open; closing the fd releases it, and the
// kernel releases it when the process dies (even by SIGKILL), so a crash never leaves a stale lock.
import { dlopen, FFIType, read } from "bun:ffi";

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const EWOULDBLOCK = 11;

let libc: { symbols: { flock: (fd: number, op: number) => number; __errno_location: () => number | bigint } } | undefined;

function lib() {
  if (!libc) {
    const name = process.platform === "darwin" ? "libc.dylib" : "libc.so.6";
    libc = dlopen(name, {
      flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      __errno_location: { args: [], returns: FFIType.ptr },
    }) as never;
  }
  return libc!;
}

/** Thrown when another process holds the lock. */
export class LockedError extends Error {
  constructor(readonly path: string) {
    super(`${path}: locked by another process (is another bunetcd or etcd using this data?)`);
    this.name = "LockedError";
  }
}

/** Takes an exclusive (or shared) lock on an open fd without waiting; throws LockedError if taken. */
export function lockFd(fd: number, path: string, shared = false): void {
  const l = lib();
  const rc = l.symbols.flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB);
  if (rc === 0) return;
  const errno = read.i32(l.symbols.__errno_location() as never, 0);
  if (errno === EWOULDBLOCK) throw new LockedError(path);
  throw new Error(`${path}: flock failed (errno ${errno})`);
}

/** Releases a lock taken with lockFd (closing the fd does the same). */
export function unlockFd(fd: number): void {
  lib().symbols.flock(fd, LOCK_UN);
}
