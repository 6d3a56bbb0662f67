// fdatasync/fsync that never block the event loop. Measured with `bun run bench wal` (noisy shared
// 2-core VM, medians): after a 4 KiB write a blocking fdatasyncSync took 91-126 µs; node:fs's
// callback fdatasync (Bun runs it on its thread pool) 1.20-1.35x that, fs/promises'
// FileHandle.datasync 1.16-1.56x, a Worker doing fdatasyncSync on request 1.47-1.54x. Bun has no
// fsync of its own (Bun.write/FileSink do not sync). So the WAL uses the callback API.
import { close, fdatasync as fdatasyncCb, fsync as fsyncCb, openSync, constants } from "node:fs";

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasyncCb(fd, (err) => (err ? reject(err) : resolve())));
}

export function fsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsyncCb(fd, (err) => (err ? reject(err) : resolve())));
}

/** Opens a directory for fsync (persisting creations, renames and removals of its entries). */
export function openDir(path: string): number {
  return openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
}

/** fsyncs a directory given by path (used once, around create). */
export async function fsyncDirPath(path: string): Promise<void> {
  const fd = openDir(path);
  try {
    await fsync(fd);
  } finally {
    await new Promise<void>((r) => close(fd, () => r()));
  }
}
