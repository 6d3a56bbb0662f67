// The server's configuration, built the way etcd 3.4 builds it: command-line flags, then ETCD_* variables
// for unset flags — or, when --config-file (or ETCD_CONFIG_FILE) is given, that YAML file alone. Defaults
// and validation messages are etcd's (embed/config.go Validate, etcdmain/config.go).
import { readFileSync } from "node:fs";
import { FLAGS, FLAG_BY_NAME, UNSUPPORTED } from "./flag_table.ts";
import { FlagError, type ParsedFlags, applyEnv, parseArgs, parseBool, parseDuration, valueProblem } from "./parse_flags.ts";

export interface TlsConfig {
  certFile: string;
  keyFile: string;
  trustedCaFile: string;
  clientCertAuth: boolean;
}

export interface ServerConfig {
  name: string;
  dataDir: string;
  walDir: string;
  snapshotCount: number;
  heartbeatMs: number;
  electionMs: number;
  listenPeerUrls: string[];
  listenClientUrls: string[];
  initialAdvertisePeerUrls: string[];
  advertiseClientUrls: string[];
  initialCluster: string;
  initialClusterState: "new" | "existing";
  initialClusterToken: string;
  quotaBackendBytes: number;
  maxRequestBytes: number;
  maxTxnOps: number;
  backendBatchIntervalMs: number;
  backendBatchLimit: number;
  /** --experimental-watch-progress-notify-interval in ms. */
  watchProgressNotifyIntervalMs: number;
  autoCompactionMode: "periodic" | "revision";
  autoCompactionRetention: string;
  listenMetricsUrls: string[];
  logger: string;
  logLevel: string;
  logOutputs: string[];
  clientTls: TlsConfig;
  peerTls: TlsConfig;
  unsafeNoFsync: boolean;
  forceNewCluster: boolean;
  printVersion: boolean;
  /** Lines to log at start-up (environment variables used, flags not supported). */
  notes: string[];
  /** Every flag's raw value (given or default), for flags not mapped above. */
  raw: Map<string, string>;
}

/** Parses and validates etcd's server arguments and environment. Throws FlagError. */
export function loadConfig(args: string[], env: Record<string, string | undefined>): ServerConfig {
  const cfg = readConfig(args, env);
  validateConfig(cfg);
  return cfg;
}

/** Parses without the final validation, so callers can log the notes first as etcd does. */
export function readConfig(args: string[], env: Record<string, string | undefined>): ServerConfig {
  const parsed = parseArgs(args);
  const file = parsed.values.get("config-file") ?? env.ETCD_CONFIG_FILE ?? "";
  let source: ParsedFlags;
  if (file) {
    source = configFromFile(file);
    source.notes.push(`Loading server configuration from ${JSON.stringify(file)}. Other configuration command line flags and environment variables will be ignored if provided.`);
    if (parsed.values.get("version") === "true") source.values.set("version", "true");
  } else {
    applyEnv(parsed, env);
    source = parsed;
  }
  return build(source);
}

/** etcd's YAML config file: keys are flag names; TLS settings sit under client-/peer-transport-security. */
function configFromFile(path: string): ParsedFlags {
  let doc: unknown;
  try {
    doc = Bun.YAML.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new FlagError((e as Error).message, "verify");
  }
  const values = new Map<string, string>();
  const set = (name: string, v: unknown) => {
    const def = FLAG_BY_NAME.get(name);
    if (!def || v === null || v === undefined) return;
    const s = Array.isArray(v) ? v.join(",") : String(v);
    const p = valueProblem(def, s);
    if (p) throw new FlagError(`invalid value ${JSON.stringify(s)} for ${name}: ${p}`, "verify");
    values.set(name, s);
  };
  const tlsKeys: Record<string, string> = { "cert-file": "cert-file", "key-file": "key-file", "client-cert-auth": "client-cert-auth", "trusted-ca-file": "trusted-ca-file", "auto-tls": "auto-tls" };
  for (const [k, v] of Object.entries((doc ?? {}) as Record<string, unknown>)) {
    if (k === "client-transport-security" || k === "peer-transport-security") {
      const prefix = k.startsWith("peer") ? "peer-" : "";
      for (const [tk, tv] of Object.entries((v ?? {}) as Record<string, unknown>)) if (tlsKeys[tk]) set(prefix + tlsKeys[tk], tv);
    } else set(k, v);
  }
  return { values, fromArgs: new Set(values.keys()), notes: [] };
}

const list = (v: string) => (v === "" ? [] : [...new Set(v.split(",").map((s) => s.trim()))]);

function build(p: ParsedFlags): ServerConfig {
  const raw = new Map<string, string>();
  for (const d of FLAGS) raw.set(d.name, p.values.get(d.name) ?? d.def);
  const get = (n: string) => raw.get(n)!;
  const num = (n: string) => Number(get(n));
  const bool = (n: string) => parseBool(get(n)) === true;
  const notes = [...p.notes];
  for (const n of UNSUPPORTED) {
    if (p.values.has(n) && p.values.get(n) !== FLAG_BY_NAME.get(n)!.def) notes.push(`--${n} is accepted for compatibility but not supported by bunetcd; ignored`);
  }
  const name = get("name");
  const cfg: ServerConfig = {
    name,
    dataDir: p.values.get("data-dir") ?? `${name}.etcd`,
    walDir: get("wal-dir"),
    snapshotCount: num("snapshot-count"),
    heartbeatMs: num("heartbeat-interval"),
    electionMs: num("election-timeout"),
    listenPeerUrls: list(get("listen-peer-urls")),
    listenClientUrls: list(get("listen-client-urls")),
    initialAdvertisePeerUrls: list(get("initial-advertise-peer-urls")),
    advertiseClientUrls: list(get("advertise-client-urls")),
    initialCluster: get("initial-cluster"),
    initialClusterState: get("initial-cluster-state") as "new" | "existing",
    initialClusterToken: get("initial-cluster-token"),
    quotaBackendBytes: num("quota-backend-bytes"),
    maxRequestBytes: num("max-request-bytes"),
    maxTxnOps: num("max-txn-ops"),
    backendBatchIntervalMs: parseDuration(get("backend-batch-interval")) ?? 0,
    backendBatchLimit: num("backend-batch-limit"),
    watchProgressNotifyIntervalMs: parseDuration(get("experimental-watch-progress-notify-interval")) ?? 0,
    autoCompactionMode: get("auto-compaction-mode") as "periodic" | "revision",
    autoCompactionRetention: get("auto-compaction-retention"),
    listenMetricsUrls: list(get("listen-metrics-urls")),
    logger: get("logger"),
    logLevel: bool("debug") ? "debug" : get("log-level"),
    logOutputs: list(get("log-outputs")),
    clientTls: { certFile: get("cert-file"), keyFile: get("key-file"), trustedCaFile: get("trusted-ca-file"), clientCertAuth: bool("client-cert-auth") },
    peerTls: { certFile: get("peer-cert-file"), keyFile: get("peer-key-file"), trustedCaFile: get("peer-trusted-ca-file"), clientCertAuth: bool("peer-client-cert-auth") },
    unsafeNoFsync: bool("unsafe-no-fsync"),
    forceNewCluster: bool("force-new-cluster"),
    printVersion: bool("version"),
    notes,
    raw,
  };
  // Setting listen-client-urls without advertise-client-urls drops the default advertise URL (etcdmain).
  if (p.values.has("listen-client-urls") && !p.values.has("advertise-client-urls")) cfg.advertiseClientUrls = [];
  return cfg;
}

function fail(msg: string): never {
  throw new FlagError(msg, "verify");
}

/** embed.Config.Validate's checks, with its messages. */
export function validateConfig(c: ServerConfig): void {
  if (c.printVersion) return;
  for (const u of [...c.listenPeerUrls, ...c.listenClientUrls, ...c.listenMetricsUrls]) {
    const url = new URL(u);
    if (url.protocol.startsWith("unix")) continue;
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (host !== "localhost" && !isIP(host)) fail(`expected IP in URL for binding (${u})`);
  }
  const bootstraps = [c.raw.get("discovery"), c.raw.get("discovery-srv")].filter((v) => v).length + (c.initialCluster ? 1 : 0);
  if (bootstraps > 1) fail(`multiple discovery or bootstrap flags are set. Choose one of "initial-cluster", "discovery" or "discovery-srv"`);
  if (c.heartbeatMs <= 0) fail(`--heartbeat-interval must be >0 (set to ${c.heartbeatMs}ms)`);
  if (c.electionMs <= 0) fail(`--election-timeout must be >0 (set to ${c.electionMs}ms)`);
  if (5 * c.heartbeatMs > c.electionMs) fail(`--election-timeout[${c.electionMs}ms] should be at least as 5 times as --heartbeat-interval[${c.heartbeatMs}ms]`);
  if (c.electionMs > 50000) fail(`--election-timeout[${c.electionMs}ms] is too long, and should be set less than 50000ms`);
  if (c.listenClientUrls.length && c.advertiseClientUrls.length === 0) fail("--advertise-client-urls is required when --listen-client-urls is set explicitly");
  if (!["periodic", "revision", ""].includes(c.autoCompactionMode)) fail(`unknown auto-compaction-mode ${JSON.stringify(c.autoCompactionMode)}`);
  // Security settings bunetcd cannot honour yet are refused rather than silently ignored.
  for (const flag of ["client-crl-file", "peer-crl-file", "client-cert-allowed-hostname", "cipher-suites", "auto-tls", "peer-auto-tls"]) {
    const v = c.raw.get(flag);
    if (v && v !== "false") fail(`--${flag} is not supported by bunetcd yet; refusing to start rather than ignore a security setting`);
  }
  if (!["debug", "info", "warn", "error", "panic", "fatal"].includes(c.logLevel)) fail(`unknown log-level ${JSON.stringify(c.logLevel)}`);
  // Client TLS has no check here: etcd validates it when it configures the listeners (cli/server/client_tls.ts).
}

function isIP(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || (h.includes(":") && /^[0-9a-fA-F:.]+$/.test(h));
}
