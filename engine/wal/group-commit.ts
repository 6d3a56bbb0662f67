// Serial group commit: operations submitted while a batch is being processed (typically waiting on
// fdatasync) are gathered and handed to the processor together as the next batch, so N concurrent
// callers share one sync. Batches run strictly one after another, in submission order. Fail-stop:
// once the processor throws, that batch and everything queued reject with the error, and so does
// every later submit (a WAL whose write or fsync failed must not accept more writes).

interface Waiting<T> {
  op: T;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class GroupCommit<T> {
  private queue: Waiting<T>[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  failure: Error | null = null;

  constructor(private readonly processBatch: (ops: T[]) => Promise<void>) {}

  submit(op: T): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Start on a microtask so calls made in the same tick share the first batch.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        await this.processBatch(batch.map((w) => w.op));
        for (const w of batch) w.resolve();
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        this.failure = err;
        for (const w of batch.concat(this.queue.splice(0))) w.reject(err);
      }
    }
    this.running = false;
    for (const r of this.idleWaiters.splice(0)) r();
  }
}
