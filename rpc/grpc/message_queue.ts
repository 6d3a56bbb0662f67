// A single-consumer async queue: the producer (HTTP/2 'data' events) pushes decoded request messages; the service
// consumes them as an AsyncIterable. Backpressure: when more than `highWater` messages wait, `pause()` is called
// (the stream stops reading, so HTTP/2 flow control pushes back on the client); `resume()` once the consumer has
// drained it. Ends normally on end(), or throws the error given to fail() once the queued messages are consumed.
export class MessageQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waiter?: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void };
  private done = false;
  private error: unknown = undefined;
  private paused = false;

  constructor(
    private readonly highWater: number,
    private readonly pause: () => void,
    private readonly resume: () => void,
  ) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (!this.paused && this.items.length - this.head > this.highWater) {
      this.paused = true;
      this.pause();
    }
  }

  /** True once ended, failed or abandoned by the consumer. */
  get closed(): boolean {
    return this.done;
  }

  end(): void {
    this.close(undefined);
  }

  fail(err: unknown): void {
    this.close(err ?? new Error("request stream failed"));
  }

  private close(err: unknown): void {
    if (this.done) return;
    this.done = true;
    this.error = err;
    if (this.waiter && this.head === this.items.length) {
      const w = this.waiter;
      this.waiter = undefined;
      if (err === undefined) w.resolve({ value: undefined, done: true });
      else w.reject(err);
    }
  }

  private next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head];
      this.items[this.head++] = undefined as T;
      if (this.head === this.items.length) {
        this.items.length = 0;
        this.head = 0;
        if (this.paused) {
          this.paused = false;
          this.resume();
        }
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return this.error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.error);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: (): Promise<IteratorResult<T>> => {
        this.done = true;
        this.items.length = 0;
        this.head = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
