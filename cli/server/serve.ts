// Runs the server from a validated configuration: logs what etcd logs at start-up (tooling waits for
// "ready to serve client requests"), starts the member (engine/server), serves the client API on every
// --listen-client-urls URL once the member is ready, and on SIGTERM/SIGINT stops accepting, lets the
// Raft cycle in progress finish, syncs and closes — exit 0. startServer() is the same start-up without the
// signal handling, returning a handle (the library's serve() runs it in-process).
// Client TLS (client_tls.ts): https:// URLs are served with --cert-file/--key-file, http:// URLs stay plain;
// an https:// URL without them fails before the member starts, unreadable files when the listener starts (exit 1).
import { EtcdServer, ETCD_VERSION } from "../../engine/server/etcd_server.ts";
import { Logger } from "../../engine/server/log.ts";
import { RpcServer, type RpcTlsOptions } from "../../rpc/index.ts";
import type { CallInfo, CallLabel } from "../../rpc/grpc/call_report.ts";
import { registerEtcdServices } from "../../rpc/services/register.ts";
import type { ServerConfig } from "./config.ts";
import { checkClientUrls, describeClientTls, isTlsUrl, loadClientTls } from "./client_tls.ts";
import { VERSION } from "../version.ts";
import { assertDataDirFree, lockErrorOf } from "../../engine/embed/dir_lock.ts";
import { type AutoCompaction, parseAutoCompaction } from "../../engine/server/compactor/index.ts";

/** A started server: its member, the client URLs actually bound, and how to stop it. */
export interface RunningServer {
  readonly member: EtcdServer;
  /** One per --listen-client-urls entry, with port 0 replaced by the bound port. */
  readonly urls: URL[];
  /** Resolves to exit code 1 if the member fails fatally (already logged). */
  readonly died: Promise<number>;
  /** Stops accepting, closes the listeners, stops the member. */
  close(): Promise<void>;
}

export async function serve(cfg: ServerConfig, log: Logger): Promise<number> {
  const running = await startServer(cfg, log);
  if (typeof running === "number") return running;
  const signal = new Promise<number>((resolve) => {
    const stop = (sig: string) => {
      log.notice("etcdmain", `received ${sig} signal, shutting down...`);
      resolve(0);
    };
    process.once("SIGTERM", () => stop("terminated"));
    process.once("SIGINT", () => stop("interrupt"));
  });
  const code = await Promise.race([signal, running.died]);
  await running.close();
  return code;
}

/** Starts the member and its client listeners; an exit code (the reason logged) when start-up fails. */
export async function startServer(cfg: ServerConfig, log: Logger): Promise<RunningServer | number> {
  log.info("etcdmain", `bunetcd Version: ${VERSION} (etcd API ${ETCD_VERSION})`);
  log.info("etcdmain", `Bun Version: ${Bun.version}`);
  const urlCheck = checkClientUrls(cfg);
  for (const w of urlCheck.warnings) log.warn("embed", w);
  if (urlCheck.error) {
    log.error("etcdmain", urlCheck.error);
    return 1;
  }
  let autoCompaction: AutoCompaction | null;
  try {
    autoCompaction = parseAutoCompaction(cfg.autoCompactionMode, cfg.autoCompactionRetention);
  } catch (e) {
    log.error("etcdmain", (e as Error).message);
    return 1;
  }
  log.info("embed", `name = ${cfg.name}`);
  log.info("embed", `data dir = ${cfg.dataDir}`);
  log.info("embed", `member dir = ${cfg.dataDir}/member`);
  log.info("embed", `heartbeat = ${cfg.heartbeatMs}ms`);
  log.info("embed", `election = ${cfg.electionMs}ms`);
  log.info("embed", `snapshot count = ${cfg.snapshotCount}`);
  log.info("embed", `advertise client URLs = ${cfg.advertiseClientUrls.join(",")}`);
  let fatal: (e: unknown) => void = () => undefined;
  const died = new Promise<number>((resolve) => {
    fatal = (e) => {
      log.error("etcdserver", `fatal: ${(e as Error)?.stack ?? String(e)}`);
      resolve(1);
    };
  });
  let server: EtcdServer;
  try {
    assertDataDirFree(cfg.dataDir);
    server = await EtcdServer.start(
      {
        name: cfg.name, dataDir: cfg.dataDir, walDir: cfg.walDir, initialCluster: cfg.initialCluster,
        initialClusterToken: cfg.initialClusterToken, initialAdvertisePeerUrls: cfg.initialAdvertisePeerUrls,
        snapshotCount: cfg.snapshotCount, heartbeatMs: cfg.heartbeatMs, electionMs: cfg.electionMs, advertiseClientUrls: cfg.advertiseClientUrls,
        maxRequestBytes: cfg.maxRequestBytes, maxTxnOps: cfg.maxTxnOps, quotaBackendBytes: cfg.quotaBackendBytes,
        backendBatchIntervalMs: cfg.backendBatchIntervalMs, backendBatchLimit: cfg.backendBatchLimit, unsafeNoFsync: cfg.unsafeNoFsync,
        autoCompaction,
      },
      log,
      (e) => fatal(e),
    );
  } catch (e) {
    const locked = lockErrorOf(e, cfg.dataDir);
    if (locked === e) throw e;
    log.error("etcdmain", (locked as Error).message);
    return 1;
  }
  const clientTls = describeClientTls(cfg);
  if (clientTls) log.info("embed", clientTls);
  const debug = log.enabled("debug");
  // one frozen label set per method and code, found by the method's label object (no strings built per call)
  const handled = new WeakMap<CallLabel, Map<string, Readonly<Record<string, string>>>>();
  const handledLabels = (c: CallInfo) => {
    let byCode = handled.get(c.label);
    if (byCode === undefined) handled.set(c.label, (byCode = new Map()));
    let l = byCode.get(c.code);
    if (l === undefined) byCode.set(c.code, (l = Object.freeze({ grpc_type: c.type, grpc_service: c.service, grpc_method: c.method, grpc_code: c.code })));
    return l;
  };
  const rpc = new RpcServer({
    maxRecvBytes: cfg.maxRequestBytes + 512 * 1024,
    health: () => server.healthy(),
    // etcd's grpc-prometheus counter, for etcd's own services only (arbitrary paths must not mint labels);
    // each call is also logged at debug level (etcd's request-logging interceptor).
    onCallDone: (c) => {
      if (c.service.startsWith("etcdserverpb.")) {
        server.metrics.grpcHandled.inc(1, handledLabels(c));
      }
      if (debug) log.debug("etcdserver/api/v3rpc", `request ${c.service}/${c.method} ${c.protocol} ${c.code} took ${(c.seconds * 1000).toFixed(3)}ms`);
    },
    onTlsHandshakeError: (e) => log.info("embed", `rejected connection from ${JSON.stringify(e.remote)} (error ${JSON.stringify(e.message)}, ServerName ${JSON.stringify(e.serverName)})`),
  });
  registerEtcdServices(rpc, server, { watchProgressNotifyIntervalMs: cfg.watchProgressNotifyIntervalMs });
  await Promise.race([server.ready, died]);
  let failed: number | undefined;
  const urls: URL[] = [];
  for (const url of cfg.listenClientUrls) {
    const secure = isTlsUrl(url);
    let tls: RpcTlsOptions | undefined;
    try {
      if (secure) tls = loadClientTls(cfg.clientTls);
    } catch (e) {
      log.error("etcdmain", (e as Error).message);
      failed = 1;
      break;
    }
    let bound: URL;
    try {
      bound = await rpc.listen(url.replace("localhost", "127.0.0.1"), tls);
    } catch (e) {
      log.error("etcdmain", `listen ${url}: ${(e as Error).message}`);
      failed = 1;
      break;
    }
    urls.push(bound);
    log.info("embed", "ready to serve client requests");
    if (secure) log.info("embed", `serving client requests on ${bound.host}`);
    else log.notice("embed", `serving insecure client requests on ${bound.host}, this is strongly discouraged!`);
  }
  const close = async () => {
    await rpc.close();
    await server.stop();
  };
  if (failed !== undefined) {
    await close();
    return failed;
  }
  return { member: server, urls, died, close };
}
