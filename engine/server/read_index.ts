// Linearizable reads through Raft's ReadIndex, batched like etcd's linearizableReadLoop: every read that
// arrives while no request is in flight joins one batch; the batch sends one readIndex with a unique
// context, and when Raft answers with the commit index, the whole batch waits for the applied index to
// reach it, then reads. A read that arrives while a request is in flight joins the next batch (an index
// obtained before the read arrived would not make it linearizable).
import type { ReadState } from "../raft/raft.ts";

interface Batch {
  ctx: bigint;
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

export class ReadIndexer {
  private next: Batch | null = null;
  private inflight: Batch | null = null;
  private ctxSeq = 0n;
  /** Batches whose index is known, waiting for the applied index. */
  private waitingApply: { index: number; batch: Batch }[] = [];

  constructor(
    /** Sends a readIndex request with this context (node.readIndex + kick); may throw when there is no leader. */
    private readonly sendReadIndex: (ctx: Uint8Array) => void,
    private readonly appliedIndex: () => number,
  ) {}

  /** Resolves once the local state machine is at least as new as the cluster was when this was called. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.next) this.next = { ctx: 0n, waiters: [] };
      this.next.waiters.push({ resolve, reject });
      if (!this.inflight) this.dispatch();
    });
  }

  /**
   * Resolves once the applied index reaches `index` (etcd's applyWait; no read index involved), or as soon as
   * `signal` aborts (the wait is then dropped, so abandoned waits for far-off indexes do not pile up).
   */
  waitApplied(index: number, signal?: AbortSignal): Promise<void> {
    if (this.appliedIndex() >= index || signal?.aborted) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waitingApply = this.waitingApply.filter((e) => e !== entry);
        resolve();
      };
      const settled = () => signal?.removeEventListener("abort", onAbort);
      const entry = {
        index,
        batch: { ctx: 0n, waiters: [{ resolve: () => (settled(), resolve()), reject: (e: unknown) => (settled(), reject(e)) }] },
      };
      this.waitingApply.push(entry);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Raft's answers; call with every Ready's readStates. */
  onReadStates(rs: ReadState[]): void {
    for (const r of rs) {
      const b = this.inflight;
      if (!b || decodeCtx(r.requestCtx) !== b.ctx) continue;
      this.inflight = null;
      this.waitingApply.push({ index: r.index, batch: b });
      this.onApplied();
      if (this.next) this.dispatch();
    }
  }

  /** Call after entries are applied. */
  onApplied(): void {
    const applied = this.appliedIndex();
    this.waitingApply = this.waitingApply.filter(({ index, batch }) => {
      if (index > applied) return true;
      for (const w of batch.waiters) w.resolve();
      return false;
    });
  }

  /** Fails every pending read (no leader, shutdown); a retry starts a fresh batch. */
  failAll(err: unknown): void {
    for (const b of [this.inflight, this.next, ...this.waitingApply.map((x) => x.batch)]) for (const w of b?.waiters ?? []) w.reject(err);
    this.inflight = this.next = null;
    this.waitingApply = [];
  }

  private dispatch(): void {
    const b = this.next!;
    this.next = null;
    b.ctx = ++this.ctxSeq;
    this.inflight = b;
    try {
      this.sendReadIndex(encodeCtx(b.ctx));
    } catch (e) {
      this.inflight = null;
      for (const w of b.waiters) w.reject(e);
    }
  }
}

function encodeCtx(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

function decodeCtx(b: Uint8Array): bigint {
  return b.length === 8 ? new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0) : -1n;
}
