// A request stream the client writes to while the call runs: push() messages, close() to end it. Iterated
// once, by the transport (or the in-process service). Invariant: after close(), pending and later reads end.
export class Channel<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private closed = false;

  push(v: T): void {
    if (this.closed) return;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w({ value: v, done: false });
    else this.queue.push(v);
  }

  close(): void {
    this.closed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiter = resolve));
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
      // Connect's transports end a request stream they abort with throw(); it closes the channel.
      throw: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
