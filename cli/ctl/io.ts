// The client's output: raw bytes to stdout/stderr written synchronously (so output order and completeness
// never depend on the event loop when the process exits), plus Go-compatible text helpers used by printers.
import { writeSync } from "node:fs";

const enc = new TextEncoder();

export interface Sink {
  out(chunk: string | Uint8Array): void;
  err(chunk: string | Uint8Array): void;
}

function writeAll(fd: number, chunk: string | Uint8Array): void {
  let buf = typeof chunk === "string" ? enc.encode(chunk) : chunk;
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
    }
  }
}

export const stdio: Sink = { out: (c) => writeAll(1, c), err: (c) => writeAll(2, c) };

/** Concatenates byte strings and text into one buffer (text as UTF-8). */
export function bytesOf(...parts: (string | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? enc.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}
