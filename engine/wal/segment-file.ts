// An open, locked segment file, and the blocking-but-short file operations on it (page-cache reads
// and writes; the slow part, fdatasync, lives in durability.ts). Invariant: a Segment's fd holds an
// exclusive flock for as long as it is open, so a second process cannot open the same WAL.
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import { lockFd } from "../fs/lock.ts";
import { preallocate } from "./preallocate.ts";
import type { SegmentName } from "./segment-names.ts";

export interface Segment extends SegmentName {
  fd: number;
  path: string;
}

/** Opens and locks an existing segment for reading and appending. */
export function openSegment(dir: string, name: SegmentName): Segment {
  const path = join(dir, name.name);
  const fd = openSync(path, constants.O_RDWR);
  try {
    lockFd(fd, path);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return { ...name, fd, path };
}

/** Creates (or truncates) a file, locks it and preallocates `bytes`. Returns the fd. */
export function createPreallocated(path: string, bytes: number): number {
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC, 0o600);
  try {
    lockFd(fd, path);
    preallocate(fd, bytes);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

/** Reads a whole file into memory. */
export function readWhole(fd: number): Uint8Array {
  const size = fstatSync(fd).size;
  const out = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, out, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at === size ? out : out.subarray(0, at);
}

/** Writes all of `bytes` at `position` (retrying short writes). */
export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}
