// The server core: one member of an etcd cluster. It ties the write path of ../shared/WRITE-PATH.md
// together — quota and preflight (propose.ts checks), propose with a unique id and a wait, Raft (RaftLoop:
// WAL fsync before apply, group commit), the serial apply loop (Applier) into the MVCC store — and serves
// reads: serializable from the store, linearizable after a ReadIndex round. Implements EtcdServerApi.
import { create } from "@bufbuild/protobuf";
import {
  type AlarmRequest, type AlarmResponse, AlarmResponseSchema, AlarmRequest_AlarmAction, AlarmType, type CompactionRequest,
  type CompactionResponse, CompactionResponseSchema, type LeaseGrantRequest, type LeaseGrantResponse, LeaseGrantResponseSchema,
  type LeaseRevokeRequest, type LeaseRevokeResponse, LeaseRevokeResponseSchema, type LeaseKeepAliveResponse, LeaseKeepAliveResponseSchema,
  type LeaseTimeToLiveRequest, type LeaseTimeToLiveResponse, LeaseTimeToLiveResponseSchema, type LeaseLeasesResponse,
  LeaseLeasesResponseSchema, LeaseStatusSchema, type DefragmentResponse, DefragmentResponseSchema, type DeleteRangeRequest, type DeleteRangeResponse, type HashKVRequest,
  type HashKVResponse, HashKVResponseSchema, type HashResponse, HashResponseSchema, type MemberListResponse,
  MemberListResponseSchema, type PutRequest, type PutResponse, type RangeRequest, type RangeResponse,
  type ResponseHeader, type StatusResponse, StatusResponseSchema, type TxnRequest, type TxnResponse,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import {
  CompactionRequestSchema, type MemberAddRequest, type MemberAddResponse, type MemberPromoteRequest, type MemberPromoteResponse,
  type MemberRemoveRequest, type MemberRemoveResponse, type MemberUpdateRequest, type MemberUpdateResponse, type MoveLeaderRequest,
  type MoveLeaderResponse,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { rpcError, rpctypes } from "../../rpc/errors.ts";
import { MvccStore } from "../mvcc/store.ts";
import { Lessor } from "../lease/lessor.ts";
import type { WatchStream } from "../mvcc/watch_stream.ts";
import type * as S from "../mvcc/requests.ts";
import { ProposalDroppedError, StateType } from "../raft/index.ts";
import { isTxnReadonly } from "../mvcc/txn_check.ts";
import { Alarms } from "./alarms.ts";
import type { EtcdServerApi, ServerLimits, SnapshotPart } from "./api.ts";
import { Applier, type ApplyResult } from "./apply.ts";
import { backendPath, bootstrap, memberDir, type BootstrapConfig, type Booted } from "./bootstrap.ts";
import { purgeSnaps, saveSnap } from "./snap_file.ts";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { copySize, writeTo } from "../backend/write_to.ts";
import { toRpcError } from "./errors.ts";
import { RequestIdGenerator, idString } from "./ids.ts";
import * as kv from "./kv_convert.ts";
import type { Logger } from "./log.ts";
import { Membership } from "./membership.ts";
import { sampleProcess, serverMetrics } from "./metrics.ts";
import type { ProposalBody } from "./proposal.ts";
import type { InternalRaftRequest } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/raft_internal_pb.ts";
import { encodeProposal } from "./proposal.ts";
import { putCost, txnCost } from "./quota.ts";
import { RaftLoop } from "./raft_loop.ts";
import { ReadIndexer } from "./read_index.ts";
import { WaitRegistry } from "./wait.ts";
import { MemberChanges, membersToWire } from "./member_change.ts";
import { configAfterLog } from "./member_apply.ts";
import { moveLeader } from "./move_leader.ts";
import { type AutoCompaction, type Compactor, newCompactor } from "./compactor/index.ts";

export const ETCD_VERSION = "3.4.23";


export const CLUSTER_VERSION = "3.4.0";
/** etcd's back-pressure: refuse proposals when the apply loop is this far behind the commit index. */
const MAX_APPLY_GAP = 5000;
const DEFAULT_QUOTA = 2 * 1024 * 1024 * 1024;
/** Entries kept in memory behind a snapshot for slow followers (etcd's snapshotCatchUpEntries). */
const SNAPSHOT_CATCHUP_ENTRIES = 5000;
const MAX_SNAPSHOTS = 5;
/** etcd's quota cost of a lease grant (leaseOverhead). */
const LEASE_COST = 64;

export interface EtcdServerConfig extends BootstrapConfig, ServerLimits {
  /** --snapshot-count: applied entries between Raft snapshots (default 100,000). */
  snapshotCount: number;
  advertiseClientUrls: string[];
  /** --quota-backend-bytes: 0 = 2 GiB default, negative = disabled. */
  quotaBackendBytes: number;
  backendBatchIntervalMs?: number;
  backendBatchLimit?: number;
  unsafeNoFsync?: boolean;
  /** --auto-compaction-mode/--auto-compaction-retention, parsed (compactor/retention.ts); absent = off. */
  autoCompaction?: AutoCompaction | null;
}

/** etcd's applyTimeout: how long a lease renewal waits for the applied index to catch up. */
const APPLY_WAIT_MS = 1000;
/** Pause between publish attempts (etcd retries its publish request in a loop). */
const PUBLISH_RETRY_MS = 500;

export class EtcdServer implements EtcdServerApi {
  readonly metrics = serverMetrics();
  readonly limits: ServerLimits;
  private leader = 0n;
  private readonly ids: RequestIdGenerator;
  private readonly wait: WaitRegistry;
  private readonly reconfig: MemberChanges;
  private compactor: Compactor | undefined;
  private readonly reads: ReadIndexer;
  private readonly loop: RaftLoop;
  private readonly applier: Applier;
  private readonly quota: number;
  private readyResolve!: () => void;
  /** Resolves when the member has a leader and has published itself (etcd's ReadyNotify). */
  readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  private stopped = false;
  /** Requests this member proposed and still waits for, by id: the apply loop uses them instead of decoding. */
  private readonly proposed = new Map<bigint, ProposalBody>();

  private constructor(
    readonly cfg: EtcdServerConfig,
    private readonly booted: Booted,
    readonly store: MvccStore,
    readonly membership: Membership,
    readonly alarms: Alarms,
    readonly lessor: Lessor,
    private readonly log: Logger,
    private readonly onFatal: (e: unknown) => void,
  ) {
    this.limits = { maxRequestBytes: cfg.maxRequestBytes, maxTxnOps: cfg.maxTxnOps };
    this.snapshotIndex = booted.snapshotIndex;
    this.quota = cfg.quotaBackendBytes === 0 ? DEFAULT_QUOTA : cfg.quotaBackendBytes;
    this.ids = new RequestIdGenerator(booted.memberId);
    this.headerIds = { clusterId: booted.clusterId, memberId: booted.memberId, raftTerm: () => this.term };
    this.wait = new WaitRegistry(5000 + 2 * cfg.electionMs, () => rpcError(rpctypes.Timeout));
    this.reconfig = new MemberChanges({
      self: booted.memberId, clusterId: booted.clusterId, membership, node: booted.node, wait: this.wait, log,
      nextRequestId: () => this.ids.next(), kick: () => this.loop.kick(), stopped: () => this.stopped, header: () => this.clusterHeader(),
    });
    const { node, storage, wal } = booted;
    this.applier = new Applier(store, node, membership, alarms, lessor, this.wait, () => undefined, (id) => this.proposed.get(id) as InternalRaftRequest | undefined);
    this.reads = new ReadIndexer(
      (ctx) => {
        node.readIndex(ctx);
        this.loop.kick();
      },
      () => this.loop.applied,
    );
    this.store.backend.onCommit = (sec) => this.metrics.backendCommit.observe(sec);
    this.loop = new RaftLoop(node, storage, wal, {
      apply: (entries) => {
        this.applier.applyEntries(entries);
        this.metrics.proposalsApplied.inc(entries.length);
        this.reads.onApplied();
        this.maybeSnapshot();
      },
      softState: (s) => this.onSoftState(s.lead, s.state),
      readStates: (rs) => this.reads.onReadStates(rs),
      walSynced: (sec) => this.metrics.walFsync.observe(sec),
      fatal: (e) => this.onFatal(e),
    });
    // Everything up to the snapshot a restart begins from is applied (the back-pressure check counts from here).
    this.loop.applied = booted.snapshotIndex;
  }

  static async start(cfg: EtcdServerConfig, log: Logger, onFatal: (e: unknown) => void): Promise<EtcdServer> {
    const booted = await bootstrap(cfg, log);
    // etcd's minimum lease TTL: 1.5 election timeouts, rounded up to seconds.
    const electionTicks = Math.max(2, Math.round(cfg.electionMs / cfg.heartbeatMs));
    const minTTL = Math.ceil((Math.floor((3 * electionTicks) / 2) * cfg.heartbeatMs) / 1000);
    let opened: MvccStore | undefined;
    const lessor = new Lessor(() => opened!.backend, minTTL);
    const store = (opened = MvccStore.open(backendPath(cfg.dataDir), {
      leases: lessor,
      batch: { interval: cfg.backendBatchIntervalMs || undefined, limit: cfg.backendBatchLimit || undefined },
      noSync: cfg.unsafeNoFsync,
    }));
    lessor.load();
    const membership = new Membership(store.backend);
    membership.load();
    // A restored or taken-over directory may list another cluster's members, and not this one yet.
    const { storage } = booted;
    const logged = storage.lastIndex() >= storage.firstIndex() ? storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Infinity) : [];
    const inConfig = configAfterLog(booted.node.raft.tracker.confState(), logged);
    if (booted.tookOver) membership.retainOnly(inConfig);
    if (!membership.members.has(booted.memberId) && inConfig.includes(booted.memberId)) {
      membership.save({ id: booted.memberId, name: "", peerURLs: cfg.initialAdvertisePeerUrls, clientURLs: [], isLearner: false });
    }
    const alarms = new Alarms(store.backend);
    const s = new EtcdServer(cfg, booted, store, membership, alarms, lessor, log, onFatal);
    log.info("etcdserver", `starting member ${idString(booted.memberId)} in cluster ${idString(booted.clusterId)}`);
    s.loop.start(cfg.heartbeatMs);
    s.expiryTimer = setInterval(() => s.revokeExpired(), 500);
    if (cfg.autoCompaction) {
      const compact = (revision: number) => s.compact(create(CompactionRequestSchema, { revision: BigInt(revision) }));
      s.compactor = newCompactor(cfg.autoCompaction, { rev: () => s.store.currentRevision, compact, log });
      s.compactor.run();
    }
    // A single voter need not wait an election timeout: campaign as soon as its membership is applied.
    s.campaignWhenAlone();
    return s;
  }

  get memberId(): bigint {
    return this.booted.memberId;
  }
  get clusterId(): bigint {
    return this.booted.clusterId;
  }

  private async campaignWhenAlone(): Promise<void> {
    const node = this.booted.node;
    for (let i = 0; i < 200 && !this.stopped; i++) {
      const { voters } = node.raft.tracker.confState();
      if (this.leader !== 0n) return;
      // Raft refuses to campaign while committed conf changes are unapplied (the bootstrap entries).
      const log = node.raft.raftLog;
      if (voters.length === 1 && voters[0] === this.memberId && log.applied >= log.committed) {
        node.campaign();
        this.loop.kick();
        return;
      }
      await Bun.sleep(5);
    }
  }

  private onSoftState(lead: bigint, state: StateType): void {
    if (lead !== this.leader) {
      this.metrics.leaderChanges.inc();
      if (lead !== 0n) this.log.info("raft", `raft.node: ${idString(this.memberId)} elected leader ${idString(lead)} at term ${this.term}`);
      else this.log.info("raft", `raft.node: ${idString(this.memberId)} lost leader ${idString(this.leader)} at term ${this.term}`);
    }
    const leading = state === StateType.StateLeader;
    if (leading && !this.lessor.isPrimary) this.lessor.promote(this.cfg.electionMs);
    else if (!leading && this.lessor.isPrimary) this.lessor.demote();
    // etcd compacts on the leader only (updateLeadership pauses the compactor elsewhere).
    if (leading) this.compactor?.resume();
    else this.compactor?.pause();
    this.leader = lead;
    this.metrics.hasLeader.set(lead !== 0n ? 1 : 0);
    this.metrics.isLeader.set(state === StateType.StateLeader ? 1 : 0);
    if (lead !== 0n) void this.publish();
  }

  private published = false;
  /** etcd 3.4's start-up proposals: this member's attributes, and the cluster version (leader only). */
  private async publish(): Promise<void> {
    if (this.published) return;
    this.published = true;
    try {
      const m = this.membership.members.get(this.memberId);
      const attrs = JSON.stringify({ name: this.cfg.name, clientURLs: this.cfg.advertiseClientUrls });
      const path = `/0/members/${idString(this.memberId)}/attributes`;
      if (!m || m.name !== this.cfg.name || m.clientURLs.join(",") !== this.cfg.advertiseClientUrls.join(",")) {
        await this.propose({ v2: { ID: this.ids.next(), Method: "PUT", Path: path, Val: attrs } });
      }
      this.log.info("etcdserver", `published {Name:${this.cfg.name} ClientURLs:[${this.cfg.advertiseClientUrls.join(" ")}]} to cluster ${idString(this.clusterId)}`);
      if (!this.membership.clusterVersion && this.leader === this.memberId) {
        this.log.info("etcdserver", `setting up the initial cluster version to ${CLUSTER_VERSION.slice(0, 3)}`);
        await this.propose({ v2: { ID: this.ids.next(), Method: "PUT", Path: "/0/version", Val: CLUSTER_VERSION } });
        this.log.notice("etcdserver/membership", `set the initial cluster version to ${CLUSTER_VERSION.slice(0, 3)}`);
      }
      this.log.info("etcdserver/api", `enabled capabilities for version ${CLUSTER_VERSION.slice(0, 3)}`);
      this.readyResolve();
    } catch (e) {
      this.published = false;
      this.log.warn("etcdserver", `failed to publish local member to cluster through raft: ${(e as Error).message}`);
      // etcd's publish loop tries again until it succeeds or the server stops
      if (!this.stopped) setTimeout(() => void (this.leader !== 0n && this.publish()), PUBLISH_RETRY_MS).unref?.();
    }
  }

  private expiryTimer: ReturnType<typeof setInterval> | undefined;
  private readonly revoking = new Set<bigint>();

  /** The leader revokes expired leases through Raft, as etcd's lessor expiry loop does. */
  private revokeExpired(): void {
    if (!this.lessor.isPrimary || this.stopped) return;
    for (const id of this.lessor.expired()) {
      if (this.revoking.has(id)) continue;
      this.revoking.add(id);
      this.propose({ leaseRevoke: { ID: id } })
        .catch((e) => this.log.warn("lease", `failed to revoke expired lease ${id.toString(16)}: ${(e as Error).message}`))
        .finally(() => this.revoking.delete(id));
    }
  }

  private snapshotIndex = 0;
  private snapshotting = false;
  /** The WAL side of the last snapshot (record, segment release, .snap purge); stop() waits for it. */
  private snapshotDone: Promise<void> = Promise.resolve();

  /**
   * Every --snapshot-count applied entries: commit the backend (it now covers the applied index), record a
   * Raft snapshot (.snap marker, WAL snapshot record), keep 5,000 entries for slow followers as etcd does,
   * and release the WAL segments before the snapshot.
   */
  private maybeSnapshot(): void {
    const applied = this.loop.applied;
    if (this.snapshotting || applied - this.snapshotIndex <= this.cfg.snapshotCount) return;
    const { storage, node, wal } = this.booted;
    this.store.commit();
    const confState = node.raft.tracker.confState();
    const term = storage.term(applied);
    storage.createSnapshot(applied, confState, new Uint8Array(0));
    const snapDir = join(memberDir(this.cfg.dataDir), "snap");
    saveSnap(snapDir, { index: applied, term, confState, data: new Uint8Array(0) });
    this.snapshotIndex = applied;
    const compactTo = applied - SNAPSHOT_CATCHUP_ENTRIES;
    if (compactTo > storage.firstIndex()) storage.compact(compactTo);
    this.snapshotting = true;
    this.log.info("etcdserver", `saved snapshot at index ${applied}`);
    this.snapshotDone = wal
      .saveSnapshot({ index: applied, term, confState })
      .then(() => wal.releaseLockTo(applied))
      .then(() => purgeSnaps(snapDir, MAX_SNAPSHOTS))
      .catch((e) => this.onFatal(e))
      .finally(() => (this.snapshotting = false));
  }

  get term(): number {
    return this.booted.node.raft.term;
  }

  // ---- the write path ----

  /** Preflight, propose with a unique id, wait for the apply loop's result. */
  private async propose<T>(body: ProposalBody): Promise<T> {
    if (this.stopped) throw rpcError(rpctypes.Stopped);
    const node = this.booted.node;
    if (node.raft.raftLog.committed > this.loop.applied + MAX_APPLY_GAP) throw rpcError(rpctypes.RequestTooManyRequests);
    const id = this.ids.next();
    const data = encodeProposal(id, body);
    if (data.length > this.cfg.maxRequestBytes) throw rpcError(rpctypes.RequestTooLarge);
    const result = this.wait.register<ApplyResult>(id);
    this.proposed.set(id, body);
    try {
      node.propose(data);
    } catch (e) {
      this.proposed.delete(id);
      this.wait.fail(id, e);
      await result.catch(() => undefined);
      this.metrics.proposalsFailed.inc();
      throw e instanceof ProposalDroppedError ? rpcError(rpctypes.NoLeader) : e;
    }
    this.metrics.proposalsPending.inc();
    this.loop.kick();
    try {
      const r = await result;
      if ("err" in r) throw r.err;
      return r.ok as T;
    } catch (e) {
      this.metrics.proposalsFailed.inc();
      throw e;
    } finally {
      this.proposed.delete(id);
      this.metrics.proposalsPending.inc(-1);
      this.metrics.proposalsCommitted.set(node.raft.raftLog.committed);
    }
  }

  /** Quota: refuse (and raise NOSPACE through Raft) when the request would push the backend past it. */
  private checkQuota(cost: number): void {
    if (this.quota < 0) return;
    if (this.store.db.size + cost < this.quota) return;
    void this.propose({ alarm: { action: AlarmRequest_AlarmAction.ACTIVATE, memberID: this.memberId, alarm: AlarmType.NOSPACE } }).catch(() => undefined);
    throw rpcError(rpctypes.NoSpace);
  }

  /** Who stamps headers: made once (a watch fan-out asks for a header per watcher). */
  private readonly headerIds: kv.HeaderIds;

  header(revision = this.store.currentRevision): ResponseHeader {
    return kv.header(this.headerIds, revision);
  }

  /** The Cluster service's header: etcd's ClusterServer leaves the revision out. */
  private clusterHeader(): ResponseHeader {
    return this.header(0);
  }

  async range(req: RangeRequest): Promise<RangeResponse> {
    if (!req.serializable) await this.reads.wait();
    try {
      const r = this.store.range(kv.rangeToStore(req));
      return kv.rangeToWire(r, this.header(r.header.revision));
    } catch (e) {
      throw toRpcError(e);
    }
  }

  async put(req: PutRequest): Promise<PutResponse> {
    this.checkQuota(putCost(req));
    const r = await this.propose<S.PutResponse>({ put: req });
    return kv.putToWire(r, this.header(r.header.revision));
  }

  async deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    const r = await this.propose<S.DeleteRangeResponse>({ deleteRange: req });
    return kv.deleteToWire(r, this.header(r.header.revision));
  }

  async txn(req: TxnRequest): Promise<TxnResponse> {
    const storeReq = kv.txnToStore(req);
    if (isTxnReadonly(storeReq)) {
      // etcd serves a txn without writes as a read: no log entry, linearizable unless every range is serializable.
      if (!isTxnSerializable(req)) await this.reads.wait();
      try {
        const r = this.store.txn(storeReq);
        return kv.txnToWire(r, this.header(r.header.revision));
      } catch (e) {
        throw toRpcError(e);
      }
    }
    this.checkQuota(txnCost(req));
    const r = await this.propose<S.TxnResponse>({ txn: req });
    return kv.txnToWire(r, this.header(r.header.revision));
  }

  async compact(req: CompactionRequest): Promise<CompactionResponse> {
    const r = await this.propose<S.CompactionResponse>({ compaction: req });
    if (req.physical) await r.done;
    return create(CompactionResponseSchema, { header: this.header(r.header.revision) });
  }

  // ---- maintenance and cluster ----

  async status(): Promise<StatusResponse> {
    const node = this.booted.node;
    const db = this.store.db;
    return create(StatusResponseSchema, {
      header: this.header(),
      version: ETCD_VERSION,
      dbSize: BigInt(db.size),
      leader: this.leader,
      raftIndex: BigInt(node.raft.raftLog.committed),
      raftTerm: BigInt(this.term),
      raftAppliedIndex: BigInt(this.loop.applied),
      errors: this.alarms.list().map((a) => `memberID:${a.memberID} alarm:${AlarmType[a.alarm]} `),
      dbSizeInUse: BigInt(this.dbInUse()),
      isLearner: false,
    });
  }

  async alarm(req: AlarmRequest): Promise<AlarmResponse> {
    const alarms = await this.propose<ReturnType<Alarms["apply"]>>({ alarm: req });
    return create(AlarmResponseSchema, { header: this.header(), alarms });
  }

  async hash(): Promise<HashResponse> {
    const h = this.store.hash();
    return create(HashResponseSchema, { header: this.header(h.revision), hash: h.hash });
  }

  async hashKV(req: HashKVRequest): Promise<HashKVResponse> {
    try {
      const h = this.store.hashKV(Number(req.revision));
      return create(HashKVResponseSchema, { header: this.header(h.revision), hash: h.hash, compactRevision: BigInt(h.compactRevision) });
    } catch (e) {
      throw toRpcError(e);
    }
  }

  *snapshot(signal?: AbortSignal): Generator<SnapshotPart> {
    this.store.commit();
    const tx = this.store.db.begin(false);
    try {
      const total = copySize(tx);
      const sha = createHash("sha256");
      let sent = 0;
      for (const blob of writeTo(tx)) {
        if (signal?.aborted || this.stopped) return;
        sent += blob.length;
        sha.update(blob);
        yield { remainingBytes: total - sent, blob };
      }
      yield { remainingBytes: 0, blob: new Uint8Array(sha.digest()) };
    } finally {
      tx.rollback();
    }
  }

  async defragment(): Promise<DefragmentResponse> {
    const { before, after } = this.store.defragment();
    this.log.info("etcdserver", `finished defragmenting the storage backend (${before} -> ${after} bytes)`);
    return create(DefragmentResponseSchema, { header: this.header() });
  }

  // ---- leases ----

  async leaseGrant(req: LeaseGrantRequest): Promise<LeaseGrantResponse> {
    this.checkQuota(LEASE_COST);
    // etcd picks the id at propose time when the client leaves it 0.
    const ID = req.ID !== 0n ? req.ID : BigInt.asIntN(64, this.ids.next() & 0x7fffffffffffffffn);
    const r = await this.propose<{ ID: bigint; TTL: number }>({ leaseGrant: { ID, TTL: req.TTL } });
    return create(LeaseGrantResponseSchema, { header: this.header(), ID: r.ID, TTL: BigInt(r.TTL) });
  }

  async leaseRevoke(req: LeaseRevokeRequest): Promise<LeaseRevokeResponse> {
    await this.propose({ leaseRevoke: { ID: req.ID } });
    return create(LeaseRevokeResponseSchema, { header: this.header() });
  }

  async leaseRenew(id: bigint): Promise<LeaseKeepAliveResponse> {
    if (!this.lessor.isPrimary) throw rpcError(rpctypes.NotLeader);
    // etcd's waitAppliedIndex: a grant or revoke already committed is applied before the lease is renewed
    await this.waitAppliedWithin(this.booted.node.raft.raftLog.committed, APPLY_WAIT_MS);
    let ttl = 0;
    try {
      ttl = this.lessor.renew(id);
    } catch {
      ttl = 0; // etcd answers an unknown lease with TTL 0
    }
    return create(LeaseKeepAliveResponseSchema, { header: this.header(), ID: id, TTL: BigInt(ttl) });
  }

  waitApplied(index: number, signal?: AbortSignal): Promise<void> {
    return this.reads.waitApplied(index, signal);
  }

  /** Waits until the applied index reaches index, failing after ms as etcd's applyTimeout does. */
  private async waitAppliedWithin(index: number, ms: number): Promise<void> {
    if (this.loop.applied >= index) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(rpcError(rpctypes.TimeoutWaitAppliedIndex)), ms);
    });
    try {
      await Promise.race([this.reads.waitApplied(index), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async leaseTimeToLive(req: LeaseTimeToLiveRequest): Promise<LeaseTimeToLiveResponse> {
    const t = this.lessor.timeToLive(req.ID);
    if (!t) return create(LeaseTimeToLiveResponseSchema, { header: this.header(), ID: req.ID, TTL: -1n });
    return create(LeaseTimeToLiveResponseSchema, {
      header: this.header(), ID: req.ID, TTL: BigInt(t.remaining), grantedTTL: BigInt(t.granted), keys: req.keys ? t.keys : [],
    });
  }

  async leaseLeases(): Promise<LeaseLeasesResponse> {
    return create(LeaseLeasesResponseSchema, { header: this.header(), leases: this.lessor.ids().map((ID) => create(LeaseStatusSchema, { ID })) });
  }

  watchStream(): WatchStream {
    return this.store.newWatchStream();
  }

  async memberList(): Promise<MemberListResponse> {
    return create(MemberListResponseSchema, { header: this.clusterHeader(), members: membersToWire(this.membership.list()) });
  }

  memberAdd(req: MemberAddRequest): Promise<MemberAddResponse> {
    return this.reconfig.add(req.peerURLs, req.isLearner);
  }
  memberRemove(req: MemberRemoveRequest): Promise<MemberRemoveResponse> {
    return this.reconfig.remove(req.ID);
  }
  memberUpdate(req: MemberUpdateRequest): Promise<MemberUpdateResponse> {
    return this.reconfig.update(req.ID, req.peerURLs);
  }
  memberPromote(req: MemberPromoteRequest): Promise<MemberPromoteResponse> {
    return this.reconfig.promote(req.ID);
  }

  moveLeader(req: MoveLeaderRequest, signal?: AbortSignal): Promise<MoveLeaderResponse> {
    const transfer = (target: bigint) => {
      this.booted.node.transferLeader(target);
      this.loop.kick();
    };
    const deps = { self: this.memberId, membership: this.membership, leader: () => this.leader, transfer, tickMs: this.cfg.heartbeatMs, timeoutMs: 5000 + 2 * this.cfg.electionMs, log: this.log };
    return moveLeader(deps, req.targetID, signal);
  }

  /** Bytes of the backend in use: pages up to the high water mark that are not free (etcd's SizeInUse). */
  private dbInUse(): number {
    const db = this.store.db;
    return (db.meta.pgid - db.freelist.count()) * db.pageSize;
  }

  metricsText(): string {
    this.metrics.dbTotalSize.set(this.store.db.size);
    this.metrics.dbInUse.set(this.dbInUse());
    sampleProcess(this.metrics);
    return this.metrics.registry.render();
  }

  healthy(): boolean {
    return this.leader !== 0n && this.alarms.list().length === 0;
  }

  /** Stops Raft after the cycle in progress, fails waiting requests, commits the backend, closes the WAL. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.expiryTimer);
    this.compactor?.stop();
    await this.loop.stop();
    await this.snapshotDone; // its WAL record must not race the close below
    this.wait.failAll(rpcError(rpctypes.Stopped));
    this.reads.failAll(rpcError(rpctypes.Stopped));
    this.store.close();
    await this.booted.wal.close();
  }
}

/** etcd's isTxnSerializable: every range in the txn (nested included) is serializable. */
function isTxnSerializable(t: TxnRequest): boolean {
  return [...t.success, ...t.failure].every((op) => {
    const r = op.request;
    if (r.case === "requestRange") return r.value.serializable;
    if (r.case === "requestTxn") return isTxnSerializable(r.value);
    return true;
  });
}
