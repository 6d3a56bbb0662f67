// copyBytes: the one way this code base takes its own copy of bytes it keeps. Buffer.prototype.slice (and so
// `.slice()` on any Buffer, which is what node:http2 and node:fs hand out) returns a view sharing the caller's
// memory, not a copy: keeping such a "copy" keeps the whole underlying buffer alive (a request body, a WAL
// segment read) and sees later writes to it. Invariant: the result is a plain Uint8Array owning exactly
// b.length bytes.

/** A fresh Uint8Array holding b's bytes, whatever b's class. */
export function copyBytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b);
}
