// The contract between the RPC services (rpc/services/*) and the server core (engine/server/etcd_server.ts).
// Requests and responses are the generated etcdserverpb messages (rpc/gen), exactly what the wire carries.
// Write methods go through Raft (quota, preflight, propose, WAL, apply, MVCC); reads are linearizable unless
// `serializable` is set. Every response header carries cluster_id, member_id, revision and raft_term.
// Errors are thrown as rpcError(rpctypes.X) (rpc/errors.ts) with etcd's exact message and gRPC code.
import type {
  AlarmRequest, AlarmResponse, CompactionRequest, DefragmentResponse, CompactionResponse, DeleteRangeRequest, DeleteRangeResponse,
  HashKVRequest, HashKVResponse, HashResponse, LeaseGrantRequest, LeaseGrantResponse, LeaseKeepAliveResponse,
  LeaseLeasesResponse, LeaseRevokeRequest, LeaseRevokeResponse, LeaseTimeToLiveRequest, LeaseTimeToLiveResponse, MemberListResponse, PutRequest, PutResponse, RangeRequest,
  RangeResponse, ResponseHeader, StatusResponse, TxnRequest, TxnResponse,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type {
  MemberAddRequest, MemberAddResponse, MemberPromoteRequest, MemberPromoteResponse, MemberRemoveRequest, MemberRemoveResponse,
  MemberUpdateRequest, MemberUpdateResponse, MoveLeaderRequest, MoveLeaderResponse,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { WatchStream } from "../mvcc/watch_stream.ts";

export interface ServerLimits {
  /** --max-request-bytes (default 1.5 MiB). */
  maxRequestBytes: number;
  /** --max-txn-ops (default 128). */
  maxTxnOps: number;
}

/** One message's worth of a snapshot stream (etcd SnapshotResponse remaining_bytes and blob). */
export interface SnapshotPart {
  remainingBytes: number;
  blob: Uint8Array;
}

export interface EtcdServerApi {
  readonly limits: ServerLimits;
  // KV
  range(req: RangeRequest): Promise<RangeResponse>;
  put(req: PutRequest): Promise<PutResponse>;
  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse>;
  txn(req: TxnRequest): Promise<TxnResponse>;
  compact(req: CompactionRequest): Promise<CompactionResponse>;
  // Maintenance (the parts of issue 6)
  status(): Promise<StatusResponse>;
  alarm(req: AlarmRequest): Promise<AlarmResponse>;
  hash(): Promise<HashResponse>;
  hashKV(req: HashKVRequest): Promise<HashKVResponse>;
  /**
   * The backend file as of one read transaction, in chunks with the bytes remaining, then its sha256 as the
   * last blob (what `etcdctl snapshot save` expects). A part's blob is a view, valid until the next is taken;
   * the transaction stays open until the iteration ends (finish it, or break out of it).
   */
  snapshot(signal?: AbortSignal): Iterable<SnapshotPart>;
  /** Rewrites the backend file without free pages (etcd's online defragmentation). */
  defragment(): Promise<DefragmentResponse>;
  /** Hands leadership to a voting member; resolves once it leads (the caller's signal bounds the wait). */
  moveLeader(req: MoveLeaderRequest, signal?: AbortSignal): Promise<MoveLeaderResponse>;
  // Lease
  leaseGrant(req: LeaseGrantRequest): Promise<LeaseGrantResponse>;
  leaseRevoke(req: LeaseRevokeRequest): Promise<LeaseRevokeResponse>;
  /** Renews on the leader; the TTL, or 0 for an unknown lease (etcd's keep-alive answer). */
  leaseRenew(id: bigint): Promise<LeaseKeepAliveResponse>;
  /** Resolves once the applied index reaches `index`, or when `signal` aborts (etcd's applyWait). */
  waitApplied(index: number, signal?: AbortSignal): Promise<void>;
  leaseTimeToLive(req: LeaseTimeToLiveRequest): Promise<LeaseTimeToLiveResponse>;
  leaseLeases(): Promise<LeaseLeasesResponse>;
  // Cluster
  memberList(): Promise<MemberListResponse>;
  /** Membership changes through Raft (engine/server/member_change.ts); MemberAdd's peer URLs come validated and sorted. */
  memberAdd(req: MemberAddRequest): Promise<MemberAddResponse>;
  memberRemove(req: MemberRemoveRequest): Promise<MemberRemoveResponse>;
  memberUpdate(req: MemberUpdateRequest): Promise<MemberUpdateResponse>;
  memberPromote(req: MemberPromoteRequest): Promise<MemberPromoteResponse>;
  /**
   * A new set of watchers sharing one bounded response queue (engine/mvcc/watch_stream.ts): the Watch
   * service creates one per gRPC stream and closes it when the stream ends.
   */
  watchStream(): WatchStream;
  /** A header for responses that do not touch the store (cluster_id, member_id, current revision, raft_term). */
  header(revision?: number): ResponseHeader;
  /** Prometheus text for GET /metrics. */
  metricsText(): string;
  /** For GET /health: true when there is a leader and no alarm is active. */
  healthy(): boolean;
}
