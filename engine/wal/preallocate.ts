// Reserves a segment file's full size up front with fallocate(2) (through bun:ffi), so appends never
// change the file size (fdatasync then has no size metadata to write) and never hit ENOSPC midway.
// Falls back to ftruncate (a sparse file reading as zeros) where fallocate is missing or refused.
// Invariant: after `preallocate(fd, n)` the file is at least n bytes and every new byte reads zero.
import { dlopen, FFIType } from "bun:ffi";
import { fstatSync, ftruncateSync } from "node:fs";

type Fallocate = (fd: number, mode: number, offset: number, len: number) => number;

let fallocate: Fallocate | null | undefined;

function loadFallocate(): Fallocate | null {
  if (fallocate !== undefined) return fallocate;
  fallocate = null;
  if (process.platform === "linux") {
    try {
      const lib = dlopen("libc.so.6", {
        fallocate: { args: [FFIType.i32, FFIType.i32, FFIType.i64, FFIType.i64], returns: FFIType.i32 },
      });
      fallocate = lib.symbols.fallocate as unknown as Fallocate;
    } catch {
      fallocate = null;
    }
  }
  return fallocate;
}

export function preallocate(fd: number, bytes: number): void {
  const size = fstatSync(fd).size;
  if (size >= bytes) return;
  const f = loadFallocate();
  if (f && f(fd, 0, 0, bytes) === 0) return;
  ftruncateSync(fd, bytes);
}
