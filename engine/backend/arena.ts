// Arena: zeroed byte ranges carved from 1 MiB chunks, for the write transaction's page buffers and the keys it
// copies into nodes. One arena serves every transaction of a DB: a batch commit every 100 ms used to start a
// fresh 1 MiB chunk for a few KiB of keys (43 chunks in a 4 s put run, each mostly unused, all of it counted by
// the GC as allocation). Invariant: a range is handed out once; the unused tail of the current chunk has never
// been handed out, so it is still zero. A range stays valid while referenced (its chunk lives as long as it does).

const CHUNK = 1 << 20;

export class Arena {
  private chunk = new Uint8Array(0);
  private used = 0;

  /** n zeroed bytes; requests over a quarter chunk get their own allocation. */
  take(n: number): Uint8Array {
    if (n > CHUNK / 4) return new Uint8Array(n);
    if (this.used + n > this.chunk.length) {
      this.chunk = new Uint8Array(CHUNK);
      this.used = 0;
    }
    const out = this.chunk.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}
