// A growable, reusable byte buffer for encoders that do not know their output size up front (the WAL
// encodes a whole batch of records into one, then hands it to a single write(); protowire.ts's append*
// functions write protobuf into it). Invariants: bytes [0, length) are the content, bytes past `length`
// may be stale; `view` always covers `bytes`; `reset()` keeps the allocation; `ensure(n)` is the only
// place that grows (doubling), so a view from `content()` is valid only until the next append.

export class ByteBuffer {
  bytes: Uint8Array;
  view: DataView;
  length = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.bytes = new Uint8Array(initialCapacity);
    this.view = new DataView(this.bytes.buffer);
  }

  reset(): void {
    this.length = 0;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.bytes[this.length++] = b;
  }

  raw(src: Uint8Array): void {
    this.ensure(src.length);
    this.bytes.set(src, this.length);
    this.length += src.length;
  }

  /** Appends `n` zero bytes (the buffer may hold stale bytes from earlier use). */
  zeros(n: number): void {
    this.ensure(n);
    this.bytes.fill(0, this.length, this.length + n);
    this.length += n;
  }

  u64le(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.length, v, true);
    this.length += 8;
  }

  /** The encoded content (a view, valid until the next write). */
  content(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
