// Lease renewal over etcd's LeaseKeepAlive stream. Full duplex (HTTP/2, in-process): one stream per
// keepAlive(), a request each third of the TTL, as clientv3 does. Half duplex (fetch-based transports): one
// short stream per renewal (send one request, read one answer). A TTL of 0 in the answer means the lease is
// gone (etcd's answer for an unknown or expired lease).
// Invariants: renewals on one stream are sequential (one request, then its answer); close() aborts the
// stream and ends the loop; `done` never rejects unobserved. Remote renewals that fail Unavailable are
// retried on a new stream while the lease can still be alive.
import { create } from "@bufbuild/protobuf";
import { type LeaseKeepAliveRequest, LeaseKeepAliveRequestSchema, type LeaseKeepAliveResponse } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { Channel } from "./channel.ts";
import { EtcdError, isTransient, leaseNotFound, toEtcdError } from "./errors.ts";
import type { EtcdServices } from "./services.ts";
import type { KeepAlive, LeaseId } from "./types.ts";

/** Renews a lease once; resolves with the TTL the server answered (0 = no such lease). */
type Renew = (id: LeaseId) => Promise<number>;

const request = (id: LeaseId) => create(LeaseKeepAliveRequestSchema, { ID: id });
const streamEnded = () => new EtcdError("Unavailable", "bunetcd: lease keep-alive stream ended");

async function* one<T>(v: T): AsyncGenerator<T> {
  yield v;
}

/** One renewal on its own stream (any transport). */
export async function renewOnce(services: EtcdServices, id: LeaseId, signal?: AbortSignal): Promise<number> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const r of services.lease.leaseKeepAlive(one(request(id)), { signal: abort.signal })) return Number(r.TTL);
    throw streamEnded();
  } catch (e) {
    throw toEtcdError(e);
  } finally {
    signal?.removeEventListener("abort", stop);
    abort.abort();
  }
}

/**
 * Renewals on one long stream (full-duplex transports only), opened at the first renewal: a call opened and
 * aborted before anyone reads it would reject with nobody listening.
 */
function streamRenew(services: EtcdServices, signal: AbortSignal): Renew {
  const requests = new Channel<LeaseKeepAliveRequest>();
  signal.addEventListener("abort", () => requests.close(), { once: true });
  let answers: AsyncIterator<LeaseKeepAliveResponse> | undefined;
  return async (id) => {
    answers ??= services.lease.leaseKeepAlive(requests, { signal })[Symbol.asyncIterator]();
    requests.push(request(id));
    try {
      const r = await answers.next();
      if (r.done) throw streamEnded();
      return Number(r.value.TTL);
    } catch (e) {
      throw toEtcdError(e);
    }
  };
}

const RETRY_MS = 500;

export class KeepAliveCall implements KeepAlive {
  readonly done: Promise<void>;
  private readonly abort = new AbortController();
  private renew: Renew;
  private wake: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly services: EtcdServices, readonly id: LeaseId, public ttl: number) {
    this.renew = this.renewer();
    this.done = this.run();
    this.done.catch(() => undefined);
  }

  private renewer(): Renew {
    const services = this.services;
    return services.fullDuplex ? streamRenew(services, this.abort.signal) : (i) => renewOnce(services, i, this.abort.signal);
  }

  /** Renews once (throwing for an unknown lease), then keeps the lease alive in the background. */
  static async start(services: EtcdServices, id: LeaseId, onEnd: (k: KeepAliveCall) => void): Promise<KeepAliveCall> {
    const ttl = await renewOnce(services, id);
    if (ttl <= 0) throw leaseNotFound();
    const k = new KeepAliveCall(services, id, ttl);
    void k.done.finally(() => onEnd(k)).catch(() => undefined);
    return k;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /**
   * Renews every third of the TTL. A remote failure that may pass (Unavailable) is retried on a new stream
   * every RETRY_MS for as long as the lease can still be alive (its TTL since the last renewal), as clientv3 does.
   */
  private async run(): Promise<void> {
    let renewedAt = Date.now();
    let delay = Math.max(100, (this.ttl * 1000) / 3);
    try {
      while (!this.closed) {
        await this.sleep(delay);
        if (this.closed) return;
        let ttl: number;
        try {
          ttl = await this.renew(this.id);
        } catch (e) {
          if (this.closed) return;
          if (!this.services.reconnect || !isTransient(e) || Date.now() - renewedAt >= this.ttl * 1000) throw e;
          this.renew = this.renewer();
          delay = RETRY_MS;
          continue;
        }
        if (this.closed) return;
        if (ttl <= 0) throw leaseNotFound();
        this.ttl = ttl;
        renewedAt = Date.now();
        delay = Math.max(100, (ttl * 1000) / 3);
      }
    } catch (e) {
      if (!this.closed) throw e;
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.wake?.();
  }
}
