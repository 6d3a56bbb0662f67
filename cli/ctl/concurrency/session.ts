// clientv3/concurrency.Session: a lease granted with the session TTL (default 60 s) and kept alive as
// clientv3's lease keep-alive does it: a LeaseKeepAlive stream; every 500 ms a renewal is sent while one is
// due (due at once, then TTL/3 after each answer); each answer extends the deadline to now + TTL. `done`
// resolves when the lease is gone (an answer with TTL <= 0, or the deadline passes without an answer) or the
// session is orphaned/closed. A broken stream is reopened at the next tick, as clientv3 resets its stream.
// Invariants: one stream at a time; close() = orphan() then revoke (bounded by the TTL, as clientv3).
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LeaseKeepAliveRequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { Channel } from "../../../rpc/client/channel.ts";
import type { CtlClient } from "../client.ts";

export const DEFAULT_SESSION_TTL = 60;
const TICK_MS = 500;

type KeepAliveRequest = MessageInitShape<typeof LeaseKeepAliveRequestSchema>;

export class Session {
  readonly done: Promise<void>;
  private finish!: () => void;
  private ended = false;
  private nextAt = 0;
  private deadline: number;
  private stream: { requests: Channel<KeepAliveRequest>; abort: AbortController } | undefined;
  private readonly timer: ReturnType<typeof setInterval>;

  private constructor(
    readonly client: CtlClient,
    readonly lease: bigint,
    readonly ttl: number,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.deadline = performance.now() + ttl * 1000;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  /** NewSession(client, WithTTL(ttl)): ttl <= 0 means the default. */
  static async open(client: CtlClient, ttl = DEFAULT_SESSION_TTL): Promise<Session> {
    const t = ttl > 0 ? ttl : DEFAULT_SESSION_TTL;
    const resp = await client.rpc((s, o) => s.lease.leaseGrant({ TTL: BigInt(t), ID: 0n }, o), { timeoutMs: null });
    return new Session(client, resp.ID, t);
  }

  private tick(): void {
    if (this.ended) return;
    const now = performance.now();
    if (now > this.deadline) return this.orphan();
    this.stream ??= this.openStream();
    if (now >= this.nextAt) this.stream.requests.push({ ID: this.lease });
  }

  private openStream() {
    const requests = new Channel<KeepAliveRequest>();
    const abort = new AbortController();
    const s = { requests, abort };
    void (async () => {
      try {
        const ep = await this.client.pickEndpoint(null);
        const opts = await this.client.callOptions(ep, { signal: abort.signal });
        for await (const r of this.client.services(ep).lease.leaseKeepAlive(requests, opts)) {
          if (r.TTL <= 0n) return this.orphan();
          const now = performance.now();
          this.nextAt = now + (Number(r.TTL) * 1000) / 3;
          this.deadline = now + Number(r.TTL) * 1000;
        }
      } catch {
        // reopened at the next tick
      } finally {
        requests.close();
        abort.abort();
        if (this.stream === s) this.stream = undefined;
      }
    })();
    return s;
  }

  /** Stops refreshing the lease (it expires after its TTL). */
  orphan(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    this.stream?.requests.close();
    this.stream?.abort.abort();
    this.finish();
  }

  /** Orphans the session and revokes its lease. */
  async close(): Promise<void> {
    this.orphan();
    await this.client.rpc((s, o) => s.lease.leaseRevoke({ ID: this.lease }, o), { timeoutMs: this.ttl * 1000 });
  }
}
