// etcd 3.4's server flags: name, kind, default and help, as `etcd --help` lists them (etcdmain/config.go).
// Every flag etcd accepts is accepted here, so an existing etcd command line or unit file starts bunetcd;
// the ones bunetcd does not act on are listed in UNSUPPORTED and warned about when set.

export type FlagKind = "string" | "uint" | "int" | "bool" | "duration" | "urls" | "strings" | "choice";

export interface FlagDef {
  name: string;
  kind: FlagKind;
  /** Default as etcd prints it (strings, comma lists for urls/strings). */
  def: string;
  help: string;
  choices?: string[];
}

const f = (name: string, kind: FlagKind, def: string, help: string, choices?: string[]): FlagDef => ({ name, kind, def, help, choices });

export const FLAGS: FlagDef[] = [
  // Member
  f("name", "string", "default", "Human-readable name for this member."),
  f("data-dir", "string", "${name}.etcd", "Path to the data directory."),
  f("wal-dir", "string", "", "Path to the dedicated wal directory."),
  f("snapshot-count", "uint", "100000", "Number of committed transactions to trigger a snapshot to disk."),
  f("heartbeat-interval", "uint", "100", "Time (in milliseconds) of a heartbeat interval."),
  f("election-timeout", "uint", "1000", "Time (in milliseconds) for an election to timeout."),
  f("initial-election-tick-advance", "bool", "true", "Whether to fast-forward initial election ticks on boot for faster election."),
  f("listen-peer-urls", "urls", "http://localhost:2380", "List of URLs to listen on for peer traffic."),
  f("listen-client-urls", "urls", "http://localhost:2379", "List of URLs to listen on for client traffic."),
  f("max-snapshots", "uint", "5", "Maximum number of snapshot files to retain (0 is unlimited)."),
  f("max-wals", "uint", "5", "Maximum number of wal files to retain (0 is unlimited)."),
  f("quota-backend-bytes", "int", "0", "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota)."),
  f("backend-batch-interval", "duration", "0s", "BackendBatchInterval is the maximum time before commit the backend transaction."),
  f("backend-batch-limit", "int", "0", "BackendBatchLimit is the maximum operations before commit the backend transaction."),
  f("max-txn-ops", "uint", "128", "Maximum number of operations permitted in a transaction."),
  f("max-request-bytes", "uint", "1572864", "Maximum client request size in bytes the server will accept."),
  f("max-concurrent-streams", "uint", "4294967295", "Maximum concurrent streams that each client can open at a time."),
  f("grpc-keepalive-min-time", "duration", "5s", "Minimum duration interval that a client should wait before pinging server."),
  f("grpc-keepalive-interval", "duration", "2h", "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable)."),
  f("grpc-keepalive-timeout", "duration", "20s", "Additional duration of wait before closing a non-responsive connection (0 to disable)."),
  // Clustering
  f("initial-advertise-peer-urls", "urls", "http://localhost:2380", "List of this member's peer URLs to advertise to the rest of the cluster."),
  f("initial-cluster", "string", "default=http://localhost:2380", "Initial cluster configuration for bootstrapping."),
  f("initial-cluster-state", "choice", "new", "Initial cluster state ('new' or 'existing').", ["new", "existing"]),
  f("initial-cluster-token", "string", "etcd-cluster", "Initial cluster token for the etcd cluster during bootstrap."),
  f("advertise-client-urls", "urls", "http://localhost:2379", "List of this member's client URLs to advertise to the public."),
  f("discovery", "string", "", "Discovery URL used to bootstrap the cluster."),
  f("discovery-fallback", "choice", "proxy", "Expected behavior ('exit' or 'proxy') when discovery services fails.", ["proxy", "exit"]),
  f("discovery-proxy", "string", "", "HTTP proxy to use for traffic to discovery service."),
  f("discovery-srv", "string", "", "DNS srv domain used to bootstrap the cluster."),
  f("discovery-srv-name", "string", "", "Suffix to the dns srv name queried when bootstrapping."),
  f("strict-reconfig-check", "bool", "true", "Reject reconfiguration requests that would cause quorum loss."),
  f("pre-vote", "bool", "false", "Enable to run an additional Raft election phase."),
  f("auto-compaction-retention", "string", "0", "Auto compaction retention length. 0 means disable auto compaction."),
  f("auto-compaction-mode", "string", "periodic", "Interpret 'auto-compaction-retention' one of: periodic|revision."),
  f("enable-v2", "bool", "false", "Accept etcd V2 client requests."),
  // Security
  f("cert-file", "string", "", "Path to the client server TLS cert file."),
  f("key-file", "string", "", "Path to the client server TLS key file."),
  f("client-cert-auth", "bool", "false", "Enable client cert authentication."),
  f("client-crl-file", "string", "", "Path to the client certificate revocation list file."),
  f("client-cert-allowed-hostname", "string", "", "Allowed TLS hostname for client cert authentication."),
  f("trusted-ca-file", "string", "", "Path to the client server TLS trusted CA cert file."),
  f("auto-tls", "bool", "false", "Client TLS using generated certificates"),
  f("peer-cert-file", "string", "", "Path to the peer server TLS cert file."),
  f("peer-key-file", "string", "", "Path to the peer server TLS key file."),
  f("peer-client-cert-auth", "bool", "false", "Enable peer client cert authentication."),
  f("peer-trusted-ca-file", "string", "", "Path to the peer server TLS trusted CA file."),
  f("peer-cert-allowed-cn", "string", "", "Required CN for client certs connecting to the peer endpoint."),
  f("peer-cert-allowed-hostname", "string", "", "Allowed TLS hostname for inter peer authentication."),
  f("peer-auto-tls", "bool", "false", "Peer TLS using self-generated certificates if --peer-key-file and --peer-cert-file are not provided."),
  f("peer-crl-file", "string", "", "Path to the peer certificate revocation list file."),
  f("cipher-suites", "strings", "", "Comma-separated list of supported TLS cipher suites between client/server and peers."),
  f("cors", "strings", "*", "Comma-separated whitelist of origins for CORS, or cross-origin resource sharing."),
  f("host-whitelist", "strings", "*", "Acceptable hostnames from HTTP client requests, if server is not secure."),
  f("experimental-peer-skip-client-san-verification", "bool", "false", "Skip verification of SAN field in client certificate for peer connections."),
  // Auth
  f("auth-token", "string", "simple", "Specify a v3 authentication token type and its options ('simple' or 'jwt')."),
  f("bcrypt-cost", "uint", "10", "Specify the cost / strength of the bcrypt algorithm for hashing auth passwords."),
  f("auth-token-ttl", "uint", "300", "The lifetime in seconds of the auth token."),
  // Profiling, monitoring, logging
  f("enable-pprof", "bool", "false", "Enable runtime profiling data via HTTP server."),
  f("metrics", "string", "basic", "Set level of detail for exported metrics, specify 'extensive' to include server side grpc histogram metrics."),
  f("listen-metrics-urls", "urls", "", "List of URLs to listen on for the metrics and health endpoints."),
  f("logger", "string", "capnslog", "Specify 'zap' for structured logging or 'capnslog'."),
  f("log-output", "strings", "default", "[TO BE DEPRECATED IN v3.5] use '--log-outputs'."),
  f("log-outputs", "strings", "default", "Specify 'stdout' or 'stderr' to skip journald logging even when running under systemd, or list of comma separated output targets."),
  f("log-level", "string", "info", "Configures log level. Only supports debug, info, warn, error, panic, or fatal."),
  f("debug", "bool", "false", "[TO BE DEPRECATED IN v3.5] Enable debug-level logging for etcd."),
  f("log-package-levels", "string", "", "[TO BE DEPRECATED IN v3.5] Specify a particular log level for each etcd package."),
  f("enable-grpc-gateway", "bool", "true", "Enable GRPC gateway."),
  // Proxy (v2)
  f("proxy", "choice", "off", "Proxy mode setting ('off', 'readonly' or 'on').", ["off", "readonly", "on"]),
  f("proxy-failure-wait", "uint", "5000", "Time (in milliseconds) an endpoint will be held in a failed state."),
  f("proxy-refresh-interval", "uint", "30000", "Time (in milliseconds) of the endpoints refresh interval."),
  f("proxy-dial-timeout", "uint", "1000", "Time (in milliseconds) for a dial to timeout."),
  f("proxy-write-timeout", "uint", "5000", "Time (in milliseconds) for a write to timeout."),
  f("proxy-read-timeout", "uint", "0", "Time (in milliseconds) for a read to timeout."),
  // Experimental and unsafe
  f("experimental-initial-corrupt-check", "bool", "false", "Enable to check data corruption before serving any client/peer traffic."),
  f("experimental-corrupt-check-time", "duration", "0s", "Duration of time between cluster corruption check passes."),
  f("experimental-enable-v2v3", "string", "", "v3 prefix for serving emulated v2 state."),
  f("experimental-backend-bbolt-freelist-type", "string", "array", "ExperimentalBackendFreelistType specifies the type of freelist that boltdb backend uses(array and map are supported types)"),
  f("experimental-enable-lease-checkpoint", "bool", "false", "Enable to persist lease remaining TTL to prevent indefinite auto-renewal of long lived leases."),
  f("experimental-enable-lease-checkpoint-persist", "bool", "false", "Enable persisting remainingTTL to prevent indefinite auto-renewal of long lived leases."),
  f("experimental-compaction-batch-limit", "int", "1000", "Sets the maximum revisions deleted in each compaction batch."),
  f("experimental-watch-progress-notify-interval", "duration", "10m0s", "Duration of periodic watch progress notifications."),
  f("experimental-warning-apply-duration", "duration", "100ms", "Time duration after which a warning is generated if request takes more time."),
  f("unsafe-no-fsync", "bool", "false", "Disables fsync, unsafe, will cause data loss."),
  f("force-new-cluster", "bool", "false", "Force to create a new one member cluster."),
  f("config-file", "string", "", "Path to the server configuration file."),
  f("version", "bool", "false", "Print the version and exit."),
];

export const FLAG_BY_NAME = new Map(FLAGS.map((d) => [d.name, d]));

/**
 * Accepted for compatibility but not acted on; setting one to a non-default value logs a warning.
 * (v2 API and proxy, discovery, pprof, CRLs, and peer TLS until multi-member clusters arrive.)
 */
export const UNSUPPORTED = new Set([
  "enable-v2", "experimental-enable-v2v3", "proxy", "proxy-failure-wait", "proxy-refresh-interval", "proxy-dial-timeout",
  "proxy-write-timeout", "proxy-read-timeout", "discovery", "discovery-fallback", "discovery-proxy", "discovery-srv",
  "discovery-srv-name", "enable-pprof",
  "experimental-backend-bbolt-freelist-type", "log-package-levels", "experimental-corrupt-check-time",
]);
