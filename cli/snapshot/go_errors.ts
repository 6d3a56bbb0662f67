// Error texts as Go's os package prints them (*PathError: "op path: reason"), for etcdctl's messages such
// as "stat x.db: no such file or directory". Unknown errno codes fall back to Node's own message.

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EEXIST: "file exists",
  EBADF: "bad file descriptor",
  EINVAL: "invalid argument",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
};

export class GoError extends Error {}

/** Converts a Node fs error from operation `op` on `path` into Go's wording. */
export function pathError(op: string, path: string, e: unknown): GoError {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return new GoError(`${op} ${path}: ${REASONS[code] ?? (e as Error).message}`);
}

/** Go's %q for a string (plain printable text: JSON quoting coincides). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
