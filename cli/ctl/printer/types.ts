// The printer interface of etcdctl (etcdctl/ctlv3/command/printer.go): one method per command result, one
// implementation per --write-out format. Results are the protobuf-es response messages; endpoint results
// carry the endpoint they came from. A format that does not support a result throws CtlError(ExitBadFeature).
import type {
  AlarmResponse, DeleteRangeResponse, HashKVResponse, LeaseGrantResponse, LeaseKeepAliveResponse, LeaseLeasesResponse,
  LeaseRevokeResponse, LeaseTimeToLiveResponse, MemberAddResponse, MemberListResponse, MemberPromoteResponse,
  MemberRemoveResponse, MemberUpdateResponse, MoveLeaderResponse, PutResponse, RangeResponse, StatusResponse,
  TxnResponse, WatchResponse,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";

export interface EpHealth {
  ep: string;
  health: boolean;
  took: string;
  error: string;
}
export interface EpStatus {
  ep: string;
  resp: StatusResponse;
}
export interface EpHashKV {
  ep: string;
  resp: HashKVResponse;
}

export interface Printer {
  /** print-value-only (simple format only) */
  valueOnly: boolean;
  del(r: DeleteRangeResponse): void;
  get(r: RangeResponse): void;
  put(r: PutResponse): void;
  txn(r: TxnResponse): void;
  watch(r: WatchResponse): void;
  grant(r: LeaseGrantResponse): void;
  revoke(id: bigint, r: LeaseRevokeResponse): void;
  keepAlive(r: LeaseKeepAliveResponse): void;
  timeToLive(r: LeaseTimeToLiveResponse, keys: boolean): void;
  leases(r: LeaseLeasesResponse): void;
  memberAdd(r: MemberAddResponse): void;
  memberRemove(id: bigint, r: MemberRemoveResponse): void;
  memberUpdate(id: bigint, r: MemberUpdateResponse): void;
  memberPromote(id: bigint, r: MemberPromoteResponse): void;
  memberList(r: MemberListResponse): void;
  endpointHealth(hs: EpHealth[]): void;
  endpointStatus(ss: EpStatus[]): void;
  endpointHashKV(hs: EpHashKV[]): void;
  moveLeader(leader: bigint, target: bigint, r: MoveLeaderResponse): void;
  alarm(r: AlarmResponse): void;
}

export type Format = "simple" | "json" | "fields" | "protobuf" | "table";
