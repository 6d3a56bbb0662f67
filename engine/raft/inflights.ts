// Flow-control window of one follower in replicate state: the last indexes of MsgApps sent and not yet
// acknowledged, oldest first, in a ring buffer of fixed capacity. Invariant: indexes are increasing.

export class Inflights {
  private buf: number[] = [];
  private start = 0;
  count = 0;

  constructor(readonly size: number) {}

  full(): boolean {
    return this.count === this.size;
  }

  /** Records a MsgApp whose last entry is `last`; the caller checks full() first. */
  add(last: number): void {
    if (this.full()) throw new Error("cannot add into a full inflights");
    let next = this.start + this.count;
    if (next >= this.size) next -= this.size;
    if (next >= this.buf.length) this.buf.push(last);
    else this.buf[next] = last;
    this.count++;
  }

  /** Frees every in-flight message whose last index is <= to. */
  freeLE(to: number): void {
    if (this.count === 0 || to < this.buf[this.start]) return;
    let idx = this.start;
    let i = 0;
    for (; i < this.count; i++) {
      if (to < this.buf[idx]) break;
      idx++;
      if (idx >= this.size) idx -= this.size;
    }
    this.count -= i;
    this.start = this.count === 0 ? 0 : idx;
  }

  freeFirstOne(): void {
    if (this.count === 0) return;
    this.freeLE(this.buf[this.start]);
  }

  reset(): void {
    this.count = 0;
    this.start = 0;
  }
}
