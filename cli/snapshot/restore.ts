// `snapshot restore FILE`: a new data directory from a backend snapshot, laid out as etcd 3.4's
// v3Manager.Restore lays it out, so that etcd and bunetcd both start on it: member/snap/db (restore_db.ts),
// member/snap/<term>-<index>.snap holding the v2 store with the new members (v2store.ts), and an etcd-format
// WAL (engine/server/etcd_wal_writer.ts) with one ConfChangeAddNode entry per member at term 1, HardState
// {term 1, vote = lowest member id, commit = n} and a snapshot marker at {n, 1}. Logs are etcdctl's zap
// lines on stderr. Unlike etcdctl, a failed restore removes the directories it created.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfChangeType, encodeConfChange, EntryType } from "../../engine/raft/index.ts";
import { createEtcdWal } from "../../engine/server/etcd_wal_writer.ts";
import { idString } from "../../engine/server/ids.ts";
import { Logger } from "../../engine/server/log.ts";
import { memberJson } from "../../engine/server/membership.ts";
import { saveSnap } from "../../engine/server/snap_file.ts";
import { GoError, goQuote } from "./go_errors.ts";
import { restoreCluster, type RestoreCluster } from "./restore_cluster.ts";
import { copySnapshotDb, rewriteBackend } from "./restore_db.ts";
import { v2StoreJson } from "./v2store.ts";

export interface RestoreConfig {
  snapshotPath: string;
  name: string;
  dataDir: string;
  walDir: string;
  peerUrls: string[];
  initialCluster: string;
  initialClusterToken: string;
  skipHashCheck: boolean;
}

const enc = new TextEncoder();

function writeWalAndSnap(cl: RestoreCluster, walDir: string, snapDir: string, log: Logger): void {
  for (const m of cl.members) {
    log.info("membership/cluster.go:392", "added member", {
      "cluster-id": idString(cl.clusterId),
      "local-member-id": "0",
      "added-peer-id": idString(m.id),
      "added-peer-peer-urls": m.peerURLs,
    });
  }
  const n = cl.members.length;
  const entries = cl.members.map((m, i) => ({
    type: EntryType.EntryConfChange,
    term: 1,
    index: i + 1,
    data: encodeConfChange({ type: ConfChangeType.ConfChangeAddNode, nodeId: m.id, id: 0n, context: enc.encode(memberJson(m)) }),
  }));
  mkdirSync(dirname(walDir), { recursive: true, mode: 0o700 });
  createEtcdWal(walDir, {
    memberId: cl.local.id,
    clusterId: cl.clusterId,
    entries,
    hardState: { term: 1, vote: cl.members[0].id, commit: n },
    snapshot: { index: n, term: 1 },
  });
  saveSnap(snapDir, {
    index: n,
    term: 1,
    confState: { voters: cl.members.map((m) => m.id), learners: [] },
    data: enc.encode(v2StoreJson(cl.members)),
  });
}

export async function restore(cfg: RestoreConfig, log = new Logger({ format: "zap" })): Promise<void> {
  const cl = restoreCluster({ name: cfg.name, initialCluster: cfg.initialCluster, token: cfg.initialClusterToken, peerUrls: cfg.peerUrls });
  const dataDir = cfg.dataDir || `${cfg.name}.etcd`;
  if (existsSync(dataDir)) throw new GoError(`data-dir ${goQuote(dataDir)} exists`);
  let walDir = cfg.walDir;
  if (walDir === "") walDir = join(dataDir, "member", "wal");
  else if (existsSync(walDir)) throw new GoError(`wal-dir ${goQuote(walDir)} exists`);
  const snapDir = join(dataDir, "member", "snap");
  const where = { path: cfg.snapshotPath, "wal-dir": walDir, "data-dir": dataDir, "snap-dir": snapDir };
  log.info("snapshot/v3_snapshot.go:296", "restoring snapshot", where);
  const created = [dataDir, ...(cfg.walDir ? [walDir] : [])];
  try {
    mkdirSync(snapDir, { recursive: true, mode: 0o700 });
    const dbPath = join(snapDir, "db");
    copySnapshotDb(cfg.snapshotPath, dbPath, cfg.skipHashCheck);
    await rewriteBackend(dbPath, cl.members.length, log);
    writeWalAndSnap(cl, walDir, snapDir, log);
  } catch (e) {
    for (const d of created) rmSync(d, { recursive: true, force: true });
    throw e;
  }
  log.info("snapshot/v3_snapshot.go:309", "restored snapshot", where);
}
