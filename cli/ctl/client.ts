// The etcdctl client's connection to the cluster: one gRPC transport per endpoint (rpc/client/transport.ts),
// typed service clients, and clientv3's calling conventions: a unary call goes to the first endpoint that
// answers (failing over on connection errors, retrying until the command's deadline), a failed unary call
// logs clientv3's retry-interceptor warning on stderr, errors come back as RpcError with etcdctl's wording.
// With --user, the client authenticates once and sends the token on every call.
import { randomUUID } from "node:crypto";
import { type CallOptions, type Client, createClient, type Transport } from "@connectrpc/connect";
import { Auth, Cluster, KV, Lease, Maintenance, Watch } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { clientTransport } from "../../rpc/client/transport.ts";
import type { ClientConfig } from "./global_flags.ts";
import { AuthError, deadlineError, isConnectionFailure, isRefused, type RpcError, toRpcError, warnLine } from "./grpc_errors.ts";
import type { Sink } from "./io.ts";

export interface Services {
  kv: Client<typeof KV>;
  lease: Client<typeof Lease>;
  watch: Client<typeof Watch>;
  cluster: Client<typeof Cluster>;
  maintenance: Client<typeof Maintenance>;
  auth: Client<typeof Auth>;
}

export interface RpcOptions {
  /** Call this endpoint only (clientv3 Maintenance calls that name an endpoint); logged as passthrough:///ep. */
  endpoint?: string;
  /** Deadline for the whole call including retries; undefined = the command timeout, null = none. */
  timeoutMs?: number | null;
}

const RETRY_PAUSE_MS = 100;

/** grpc-go's last error for a single-endpoint (passthrough) connection: refused, or closed in the handshake. */
function dialFailure(endpoint: string, refused: boolean): string {
  if (!refused) return "latest balancer error: connection closed";
  const hostPort = endpoint.replace(/^[a-z]+:\/\//, "");
  return `latest balancer error: connection error: desc = "transport: Error while dialing dial tcp ${hostPort}: connect: connection refused"`;
}

export class CtlClient {
  readonly id = `client-${randomUUID()}`;
  private readonly transports = new Map<string, Transport>();
  private token: Promise<string | undefined> | undefined;

  constructor(
    readonly cfg: ClientConfig,
    private readonly sink: Sink,
  ) {}

  get endpoints(): string[] {
    return this.cfg.endpoints;
  }

  transport(endpoint: string): Transport {
    let t = this.transports.get(endpoint);
    if (!t) {
      t = clientTransport(endpoint, this.cfg.tls ? { tls: this.cfg.tls } : {});
      this.transports.set(endpoint, t);
    }
    return t;
  }

  services(endpoint: string): Services {
    const t = this.transport(endpoint);
    return {
      kv: createClient(KV, t),
      lease: createClient(Lease, t),
      watch: createClient(Watch, t),
      cluster: createClient(Cluster, t),
      maintenance: createClient(Maintenance, t),
      auth: createClient(Auth, t),
    };
  }

  /** Call options carrying the auth token (if any) for streams and custom calls. */
  async callOptions(endpoint: string, extra: CallOptions = {}): Promise<CallOptions> {
    const token = await this.authToken(endpoint);
    return token ? { ...extra, headers: { ...(extra.headers as Record<string, string>), token } } : extra;
  }

  private authToken(endpoint: string): Promise<string | undefined> {
    const auth = this.cfg.auth;
    if (!auth) return Promise.resolve(undefined);
    this.token ??= this.services(endpoint)
      .auth.authenticate({ name: auth.user, password: auth.password }, { timeoutMs: this.cfg.commandTimeoutMs })
      .then(
        (r) => r.token,
        (e: unknown) => {
          if (isConnectionFailure(e)) {
            this.token = undefined;
            throw e;
          }
          const err = toRpcError(e);
          throw new AuthError(err.code, err.status, err.message);
        },
      );
    return this.token;
  }

  /** The endpoint a stream should use: the first one (clientv3 pins one connection; failover is per call). */
  async pickEndpoint(_timeoutMs: number | null = this.cfg.dialTimeoutMs): Promise<string> {
    return this.cfg.endpoints[0]!;
  }

  /** A unary call with clientv3's failover, deadline and error reporting. */
  async rpc<T>(fn: (s: Services, opts: CallOptions, endpoint: string) => Promise<T>, o: RpcOptions = {}): Promise<T> {
    const timeout = o.timeoutMs === undefined ? this.cfg.commandTimeoutMs : o.timeoutMs;
    const deadline = timeout === null ? Number.POSITIVE_INFINITY : performance.now() + timeout;
    const eps = o.endpoint ? [o.endpoint] : this.cfg.endpoints;
    const target = o.endpoint ? `passthrough:///${o.endpoint}` : `endpoint://${this.id}/${eps[0]!.replace(/^[a-z]+:\/\//, "")}`;
    const fail = (err: RpcError): never => {
      this.sink.err(warnLine(target, err));
      throw err;
    };
    let unreachable = false;
    let refused = true;
    const balancerError = () =>
      deadlineError(o.endpoint ? dialFailure(o.endpoint, refused) : "latest balancer error: all SubConns are in TransientFailure");
    for (;;) {
      for (const ep of eps) {
        const left = deadline - performance.now();
        if (left <= 0) break;
        try {
          const opts = await this.callOptions(ep, Number.isFinite(left) ? { timeoutMs: Math.max(1, Math.ceil(left)) } : {});
          return await fn(this.services(ep), opts, ep);
        } catch (e) {
          if (isConnectionFailure(e)) {
            unreachable = true;
            refused = isRefused(e);
            continue;
          }
          const err = toRpcError(e);
          if (err.message === "context deadline exceeded" && performance.now() < deadline - 5) continue;
          return fail(unreachable && err.message === "context deadline exceeded" ? balancerError() : err);
        }
      }
      const left = deadline - performance.now();
      if (left <= 0) return fail(balancerError());
      await Bun.sleep(Math.min(RETRY_PAUSE_MS, left));
    }
  }
}
