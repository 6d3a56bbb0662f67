// The wait registry of the propose path: a request registers its id before it is proposed, the apply loop
// triggers the id with the result once the entry is applied, and a request not applied within the timeout
// (etcd: 5 s + 2 × election timeout) is rejected with the error the caller supplies.
// Invariant: every registered id is settled exactly once (triggered, failed, timed out, or at shutdown).
// One sweeper timer serves all waiters: the timeout is fixed, so insertion order is deadline order.

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  deadline: number;
}

export class WaitRegistry {
  private readonly pending = new Map<bigint, Pending>();
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly timeoutError: () => unknown,
  ) {}

  /** Registers id; the promise settles on trigger(id, …), fail(id, …), or the timeout. */
  register<T>(id: bigint): Promise<T> {
    if (this.pending.has(id)) throw new Error(`duplicate wait id ${id}`);
    // One sweeper for the registry's life (unref'd, so it never keeps the process alive).
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(10, Math.min(250, this.timeoutMs / 4)));
    this.sweeper.unref?.();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, deadline: performance.now() + this.timeoutMs });
    });
  }

  /** Settles id with a result; false if nobody waits (another member's request, or it timed out). */
  trigger(id: bigint, value: unknown): boolean {
    const p = this.take(id);
    p?.resolve(value);
    return !!p;
  }

  fail(id: bigint, err: unknown): boolean {
    const p = this.take(id);
    p?.reject(err);
    return !!p;
  }

  /** Rejects every waiter and stops the sweeper (shutdown). */
  failAll(err: unknown): void {
    for (const id of [...this.pending.keys()]) this.fail(id, err);
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  get size(): number {
    return this.pending.size;
  }

  private sweep(): void {
    if (this.pending.size === 0) return;
    const now = performance.now();
    for (const [id, p] of this.pending) {
      if (p.deadline > now) break;
      this.pending.delete(id);
      p.reject(this.timeoutError());
    }
  }

  private take(id: bigint): Pending | undefined {
    const p = this.pending.get(id);
    if (p) this.pending.delete(id);
    return p;
  }
}
