// open(): an etcd member inside this process, without a network listener. It is the server's own core
// (EtcdServer: WAL, Raft, MVCC backend, lessor) behind the server's own service code (rpc/services), reached
// through in-process clients (local_client.ts), and served to the caller as the library's Etcd interface —
// the same class connect() returns for a remote server. The data directory is etcd's layout, so a directory
// written here can be served by `bunetcd --data-dir` (or read by etcd's tools) and the other way round.
// Invariants: one open per directory at a time, across processes (DataDirLockedError otherwise); open()
// resolves once the member leads and has published itself; close() ends streams, stops Raft, syncs and
// releases the directory.
import { KV, Lease, Maintenance, Watch } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EtcdClient } from "../../rpc/client/etcd_client.ts";
import type { EtcdServices } from "../../rpc/client/services.ts";
import type { Etcd } from "../../rpc/client/types.ts";
import { kvService } from "../../rpc/services/kv.ts";
import { leaseService } from "../../rpc/services/lease.ts";
import { maintenanceService } from "../../rpc/services/maintenance.ts";
import { watchService } from "../../rpc/services/watch.ts";
import { EtcdServer } from "../server/etcd_server.ts";
import { assertDataDirFree, lockErrorOf } from "./dir_lock.ts";
import { localClient } from "./local_client.ts";
import { loggerFor } from "./log_option.ts";
import { type OpenOptions, serverConfig } from "./options.ts";

export type { OpenOptions } from "./options.ts";

/** Opens (creating if needed) the etcd data directory `opts.dir` as a store in this process. */
export async function open(opts: OpenOptions): Promise<Etcd> {
  const cfg = serverConfig(opts);
  const log = loggerFor(opts.log);
  assertDataDirFree(cfg.dataDir);
  let failed: ((e: unknown) => void) | undefined;
  const died = new Promise<never>((_, reject) => (failed = reject));
  died.catch(() => undefined);
  let server: EtcdServer | undefined;
  try {
    server = await EtcdServer.start(cfg, log, (e) => {
      log.error("etcdserver", `fatal: ${(e as Error)?.stack ?? String(e)}`);
      failed?.(e);
      void server?.stop();
    });
  } catch (e) {
    throw lockErrorOf(e, cfg.dataDir);
  }
  try {
    await Promise.race([server.ready, died]);
  } catch (e) {
    await server.stop();
    throw e;
  }
  const shutdown = new AbortController();
  const services: EtcdServices = {
    kv: localClient(KV, kvService(server), shutdown.signal),
    lease: localClient(Lease, leaseService(server), shutdown.signal),
    watch: localClient(Watch, watchService(server), shutdown.signal),
    maintenance: localClient(Maintenance, maintenanceService(server), shutdown.signal),
    fullDuplex: true,
    reconnect: false,
    async close() {
      shutdown.abort();
      await server.stop();
    },
  };
  return new EtcdClient(services);
}
