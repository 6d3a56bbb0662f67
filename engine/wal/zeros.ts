// Fast all-zero checks over large regions (a segment's preallocated tail is mostly zeros).

const ZERO_CHUNK = new Uint8Array(64 * 1024);

/** True when bytes [from, to) are all zero. */
export function isAllZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let at = from; at < to; at += ZERO_CHUNK.length) {
    const n = Math.min(ZERO_CHUNK.length, to - at);
    if (Buffer.compare(bytes.subarray(at, at + n), ZERO_CHUNK.subarray(0, n)) !== 0) return false;
  }
  return true;
}
