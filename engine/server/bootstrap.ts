// Start-up of a member from its data directory, laid out as etcd's: member/wal/ (the WAL), member/snap/db
// (the backend). A directory without a WAL starts a new cluster from --initial-cluster (ids derived as
// etcd derives them, one committed ConfChangeAddNode per member, the member JSON as context); a directory
// with one restarts from what the WAL holds after the last snapshot.
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { MemoryStorage, RaftNode } from "../raft/index.ts";
import { Wal, walExists } from "../wal/index.ts";
import { clusterId as deriveClusterId, idString, memberId as deriveMemberId } from "./ids.ts";
import { isEtcdWal, readEtcdWal } from "./etcd_wal.ts";
import type { Logger } from "./log.ts";
import { memberJson, parseInitialCluster } from "./membership.ts";
import { loadNewestSnap } from "./snap_file.ts";

export interface BootstrapConfig {
  name: string;
  dataDir: string;
  walDir: string;
  initialCluster: string;
  initialClusterToken: string;
  initialAdvertisePeerUrls: string[];
  heartbeatMs: number;
  electionMs: number;
}

export interface Booted {
  memberId: bigint;
  clusterId: bigint;
  wal: Wal;
  storage: MemoryStorage;
  node: RaftNode;
  /** True when this start created the cluster (no WAL existed). */
  fresh: boolean;
  /** True when etcd's WAL was taken over at this start (its backend may list another cluster's members). */
  tookOver: boolean;
  /** Index of the Raft snapshot the start began from (0 = none). */
  snapshotIndex: number;
}

export function memberDir(dataDir: string): string {
  return join(dataDir, "member");
}
export function backendPath(dataDir: string): string {
  return join(memberDir(dataDir), "snap", "db");
}
export function walPath(cfg: { dataDir: string; walDir: string }): string {
  return cfg.walDir || join(memberDir(cfg.dataDir), "wal");
}

export class BootstrapError extends Error {}

/**
 * A data directory written by etcd (or `etcdctl snapshot restore`) has etcd's WAL: its records after the
 * newest snapshot are carried into a bunetcd WAL (the entries are the same InternalRaftRequests), and
 * etcd's WAL directory is kept beside it as `<wal>.etcd`.
 */
async function takeOverEtcdWal(dir: string, snapDir: string, log: Logger): Promise<void> {
  const snap = loadNewestSnap(snapDir);
  const content = readEtcdWal(dir, snap?.index ?? 0);
  let backup = `${dir}.etcd`;
  for (let i = 1; existsSync(backup); i++) backup = `${dir}.etcd.${i}`;
  renameSync(dir, backup);
  const wal = await Wal.create(dir, { memberId: content.memberId, clusterId: content.clusterId });
  if (snap) await wal.saveSnapshot({ index: snap.index, term: snap.term, confState: snap.confState });
  await wal.save(content.hardState, content.entries);
  await wal.close();
  log.notice("etcdserver", `took over etcd's data directory: ${content.entries.length} WAL entries after snapshot ${snap?.index ?? 0} moved into a bunetcd WAL; etcd's WAL kept in ${backup}`);
}

export async function bootstrap(cfg: BootstrapConfig, log: Logger): Promise<Booted> {
  mkdirSync(join(memberDir(cfg.dataDir), "snap"), { recursive: true, mode: 0o700 });
  const dir = walPath(cfg);
  const electionTick = Math.max(2, Math.round(cfg.electionMs / cfg.heartbeatMs));
  const snapDir = join(memberDir(cfg.dataDir), "snap");
  const tookOver = isEtcdWal(dir);
  if (tookOver) await takeOverEtcdWal(dir, snapDir, log);
  if (walExists(dir)) {
    const snap = loadNewestSnap(snapDir, (file, why) => log.warn("snap", `skipped unreadable snapshot ${file}: ${why}`));
    const wal = await Wal.open(dir, snap ? { index: snap.index, term: snap.term } : { index: 0, term: 0 });
    const { metadata, hardState, entries } = wal.readAll();
    const storage = new MemoryStorage();
    if (snap) storage.applySnapshot({ data: snap.data, metadata: { index: snap.index, term: snap.term, confState: snap.confState } });
    storage.setHardState(hardState);
    storage.append(entries);
    const node = new RaftNode({ id: metadata.memberId, storage, electionTick, heartbeatTick: 1 });
    return { memberId: metadata.memberId, clusterId: metadata.clusterId, wal, storage, node, fresh: false, tookOver, snapshotIndex: snap?.index ?? 0 };
  }
  const cluster = parseInitialCluster(cfg.initialCluster);
  const mine = cluster.get(cfg.name);
  if (!mine) throw new BootstrapError(`couldn't find local name "${cfg.name}" in the initial cluster configuration`);
  const same = [...mine].sort().join(",") === [...cfg.initialAdvertisePeerUrls].sort().join(",");
  if (!same) {
    throw new BootstrapError(`--initial-cluster has ${cfg.name}=${mine.join(",")} but missing from --initial-advertise-peer-urls=${cfg.initialAdvertisePeerUrls.join(",")}`);
  }
  const members = [...cluster].map(([name, urls]) => ({ name, urls, id: deriveMemberId(urls, cfg.initialClusterToken) }));
  if (members.length > 1) throw new BootstrapError(`multi-member clusters are not supported yet (members ${members.map((m) => idString(m.id)).join(", ")})`);
  const memberId = members.find((m) => m.name === cfg.name)!.id;
  const clusterId = deriveClusterId(members.map((m) => m.id));
  const wal = await Wal.create(dir, { memberId, clusterId });
  const storage = new MemoryStorage();
  const node = new RaftNode({ id: memberId, storage, electionTick, heartbeatTick: 1 });
  const enc = new TextEncoder();
  node.bootstrap(
    members
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((m) => ({ id: m.id, context: enc.encode(memberJson({ id: m.id, name: "", peerURLs: m.urls, clientURLs: [], isLearner: false })) })),
  );
  return { memberId, clusterId, wal, storage, node, fresh: true, tookOver: false, snapshotIndex: 0 };
}
