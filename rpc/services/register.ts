// Wires every etcd 3.4 service onto an RpcServer over one EtcdServerApi: gRPC/Connect/gRPC-web services
// (KV, Watch, Lease, Cluster, Maintenance, Auth — every etcd RPC path answers, built or Unimplemented), the JSON
// gateway on /v3/ and /v3beta/ (running the same ServiceImpl objects), and GET /version, /metrics, /health.
// Call once per RpcServer, before listen().
import type { DescService } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { ETCD_COMPAT_VERSION } from "../../cli/version.ts";
import { JsonGateway } from "../gateway/json_gateway.ts";
import { metricsRoute } from "../gateway/metrics_route.ts";
import { versionRoute } from "../gateway/version_route.ts";
import { Auth, Cluster, KV, Lease, Maintenance, Watch } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { healthRoute } from "../http/health.ts";
import type { RpcServer } from "../server/rpc_server.ts";
import { authService } from "./auth.ts";
import { clusterService } from "./cluster.ts";
import { kvService } from "./kv.ts";
import { leaseService } from "./lease.ts";
import { maintenanceService } from "./maintenance.ts";
import { watchService } from "./watch.ts";

export interface EtcdServicesOptions {
  /** The etcd release reported by GET /version (default: the one bunetcd follows, cli/version.ts). */
  serverVersion?: string;
  /**
   * The cluster version for GET /version. Default: the server version's major.minor.0, which is what etcd's
   * cluster version is once decided when every member runs this release (a single member does).
   */
  clusterVersion?: () => string;
  /** --experimental-watch-progress-notify-interval in ms (default 10 min; etcd's minimum is 100 ms). */
  watchProgressNotifyIntervalMs?: number;
}

/** gRPC lets a message be max-request-bytes + 512 KiB; JSON carries bytes as base64 plus field names. */
const gatewayBodyLimit = (maxRequestBytes: number) => 2 * (maxRequestBytes + 512 * 1024);

export function registerEtcdServices(rpc: RpcServer, server: EtcdServerApi, opts: EtcdServicesOptions = {}): void {
  const gateway = new JsonGateway({ maxBodyBytes: gatewayBodyLimit(server.limits.maxRequestBytes) });
  const both = <S extends DescService>(service: S, impl: ServiceImpl<S>) => {
    rpc.service(service, impl);
    gateway.service(service, impl);
  };
  both(KV, kvService(server));
  both(Watch, watchService(server, { progressNotifyIntervalMs: opts.watchProgressNotifyIntervalMs }));
  both(Lease, leaseService(server));
  both(Cluster, clusterService(server));
  both(Maintenance, maintenanceService(server));
  both(Auth, authService(server));

  const serverVersion = opts.serverVersion ?? ETCD_COMPAT_VERSION;
  const majorMinor = serverVersion.split(".").slice(0, 2).join(".");
  rpc.routePrefix("/v3/", gateway.handler);
  rpc.routePrefix("/v3beta/", gateway.handler);
  rpc.route("/version", versionRoute({ server: serverVersion, cluster: opts.clusterVersion ?? (() => `${majorMinor}.0`) }));
  rpc.route("/metrics", metricsRoute(() => server.metricsText()));
  rpc.route("/health", healthRoute(() => server.healthy()));
}
