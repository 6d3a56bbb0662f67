// Reused buffers for the corked writes of streamed responses (stream_writer.ts). A watch fan-out writes hundreds of MB per
// second; fresh buffers cost an allocation and, worse, first-touch page faults on every burst. Buffers come in
// power-of-two sizes from 4 KiB to 1 MiB; one goes back to the pool only when the HTTP/2 stream has finished
// with it (Bun's stream.write keeps a reference to the bytes until they are sent: its callback says when).
// Invariant: a buffer is in the pool at most once and never while a write of it is pending; the pool holds at
// most MAX_PER_SIZE buffers of each size (bounded memory), larger requests are never pooled.
const MIN_SHIFT = 12;
const MAX_SHIFT = 20;
const MAX_PER_SIZE = 16;

const free: Uint8Array[][] = Array.from({ length: MAX_SHIFT - MIN_SHIFT + 1 }, () => []);

/** Pool slot for a buffer of exactly `length` bytes, or -1 if such buffers are not pooled. */
function slotOf(length: number): number {
  const shift = 31 - Math.clz32(length);
  return length === 1 << shift && shift >= MIN_SHIFT && shift <= MAX_SHIFT ? shift - MIN_SHIFT : -1;
}

/** A buffer of at least `min` bytes, contents undefined: a pooled one when there is one. */
export function takeBuffer(min: number): Uint8Array {
  const shift = Math.max(MIN_SHIFT, 32 - Math.clz32(Math.max(min, 1) - 1));
  if (shift > MAX_SHIFT) return Buffer.allocUnsafeSlow(min);
  return free[shift - MIN_SHIFT]!.pop() ?? Buffer.allocUnsafeSlow(1 << shift);
}

/** Gives a buffer from takeBuffer back, once nothing reads it any more. */
export function returnBuffer(buf: Uint8Array): void {
  const slot = slotOf(buf.length);
  if (slot < 0 || buf.byteOffset !== 0) return;
  const list = free[slot]!;
  if (list.length < MAX_PER_SIZE) list.push(buf);
}
