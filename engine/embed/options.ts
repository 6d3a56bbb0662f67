// open()'s options and their defaults, which are etcd's (a directory started by open() looks like one
// started by `etcd --data-dir DIR`: member "default", cluster token "etcd-cluster", peer URL
// http://localhost:2380), so the directory can later be served by bunetcd or etcd as it is.
import type { EtcdServerConfig } from "../server/etcd_server.ts";
import type { LogOption } from "./log_option.ts";

export interface OpenOptions {
  /** The data directory (etcd's --data-dir): created if missing, laid out as etcd's member/wal and member/snap/db. */
  dir: string;
  /** Member name when the directory is new (etcd --name; default "default"). */
  name?: string;
  /** Applied entries between Raft snapshots (etcd --snapshot-count; default 100000). */
  snapshotCount?: number;
  /** Raft heartbeat in ms (default 100). */
  heartbeatMs?: number;
  /** Raft election timeout in ms (default 1000; also sets the minimum lease TTL). */
  electionMs?: number;
  /** Backend size limit in bytes (etcd --quota-backend-bytes; 0 = 2 GiB). */
  quotaBackendBytes?: number;
  /** Largest request in bytes (etcd --max-request-bytes; default 1.5 MiB). */
  maxRequestBytes?: number;
  /** Most operations in one txn (etcd --max-txn-ops; default 128). */
  maxTxnOps?: number;
  /** Skip fsync of the WAL and backend: fast, but a crash can lose or corrupt data (etcd --unsafe-no-fsync). */
  unsafeNoFsync?: boolean;
  /** Logging; default: errors only, on stderr. */
  log?: LogOption;
}

const PEER_URL = "http://localhost:2380";

export function serverConfig(o: OpenOptions): EtcdServerConfig {
  if (!o.dir) throw new TypeError("bunetcd: open() needs a data directory ({ dir })");
  const name = o.name ?? "default";
  return {
    name,
    dataDir: o.dir,
    walDir: "",
    initialCluster: `${name}=${PEER_URL}`,
    initialClusterToken: "etcd-cluster",
    initialAdvertisePeerUrls: [PEER_URL],
    advertiseClientUrls: [],
    snapshotCount: o.snapshotCount ?? 100_000,
    heartbeatMs: o.heartbeatMs ?? 100,
    electionMs: o.electionMs ?? 1000,
    quotaBackendBytes: o.quotaBackendBytes ?? 0,
    maxRequestBytes: o.maxRequestBytes ?? 1.5 * 1024 * 1024,
    maxTxnOps: o.maxTxnOps ?? 128,
    unsafeNoFsync: o.unsafeNoFsync ?? false,
  };
}
