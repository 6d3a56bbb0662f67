// Runs the server from a validated configuration: logs what etcd logs at start-up (tooling waits for
// "ready to serve client requests"), starts the member (engine/server), serves the client API on every
// --listen-client-urls URL once the member is ready, and on SIGTERM/SIGINT stops accepting, lets the
// Raft cycle in progress finish, syncs and closes — exit 0.
import { EtcdServer, ETCD_VERSION } from "../../engine/server/etcd_server.ts";
import { Logger } from "../../engine/server/log.ts";
import { RpcServer } from "../../rpc/index.ts";
import { registerEtcdServices } from "../../rpc/services/register.ts";
import type { ServerConfig } from "./config.ts";
import { VERSION } from "../version.ts";

export async function serve(cfg: ServerConfig, log: Logger): Promise<number> {
  log.info("etcdmain", `bunetcd Version: ${VERSION} (etcd API ${ETCD_VERSION})`);
  log.info("etcdmain", `Bun Version: ${Bun.version}`);
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
  const server = await EtcdServer.start(
    {
      name: cfg.name, dataDir: cfg.dataDir, walDir: cfg.walDir, initialCluster: cfg.initialCluster,
      initialClusterToken: cfg.initialClusterToken, initialAdvertisePeerUrls: cfg.initialAdvertisePeerUrls,
      snapshotCount: cfg.snapshotCount, heartbeatMs: cfg.heartbeatMs, electionMs: cfg.electionMs, advertiseClientUrls: cfg.advertiseClientUrls,
      maxRequestBytes: cfg.maxRequestBytes, maxTxnOps: cfg.maxTxnOps, quotaBackendBytes: cfg.quotaBackendBytes,
      backendBatchIntervalMs: cfg.backendBatchIntervalMs, backendBatchLimit: cfg.backendBatchLimit, unsafeNoFsync: cfg.unsafeNoFsync,
    },
    log,
    (e) => fatal(e),
  );
  const rpc = new RpcServer({ maxRecvBytes: cfg.maxRequestBytes + 512 * 1024, health: () => server.healthy() });
  registerEtcdServices(rpc, server);
  await Promise.race([server.ready, died]);
  for (const url of cfg.listenClientUrls) {
    const bound = await rpc.listen(url.replace("localhost", "127.0.0.1"));
    log.info("embed", "ready to serve client requests");
    log.notice("embed", `serving insecure client requests on ${bound.host}, this is strongly discouraged!`);
  }
  const signal = new Promise<number>((resolve) => {
    const stop = (sig: string) => {
      log.notice("etcdmain", `received ${sig} signal, shutting down...`);
      resolve(0);
    };
    process.once("SIGTERM", () => stop("terminated"));
    process.once("SIGINT", () => stop("interrupt"));
  });
  const code = await Promise.race([signal, died]);
  await rpc.close();
  await server.stop();
  return code;
}
