// etcdctl's "fields" output format (printer_fields.go): one `"Name" : value` line per field, Go %q for byte
// strings, %v for numbers and booleans; results it has no rendering for fail like etcdctl's.
import type { KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type {
  AlarmResponse, DeleteRangeResponse, LeaseGrantResponse, LeaseKeepAliveResponse, LeaseLeasesResponse,
  LeaseRevokeResponse, LeaseTimeToLiveResponse, MemberListResponse, PutResponse, RangeResponse, ResponseHeader,
  TxnResponse, WatchResponse,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { goQuote } from "../gofmt.ts";
import type { Sink } from "../io.ts";
import { alarmTypeName, eventTypeName } from "./simple.ts";
import type { EpHashKV, EpHealth, EpStatus, Printer } from "./types.ts";
import { GoPanic, unsupported } from "./unsupported.ts";

export class FieldsPrinter implements Printer {
  valueOnly = false;
  constructor(private readonly sink: Sink) {}

  private line(s: string): void {
    this.sink.out(`${s}\n`);
  }

  private kv(pfx: string, kv: KeyValue): void {
    this.line(`"${pfx}Key" : ${goQuote(kv.key)}`);
    this.line(`"${pfx}CreateRevision" : ${kv.createRevision}`);
    this.line(`"${pfx}ModRevision" : ${kv.modRevision}`);
    this.line(`"${pfx}Version" : ${kv.version}`);
    this.line(`"${pfx}Value" : ${goQuote(kv.value)}`);
    this.line(`"${pfx}Lease" : ${kv.lease}`);
  }

  private hdr(h: ResponseHeader | undefined): void {
    if (!h) throw new GoPanic();
    this.line(`"ClusterID" : ${h.clusterId}`);
    this.line(`"MemberID" : ${h.memberId}`);
    this.line(`"Revision" : ${h.revision}`);
    this.line(`"RaftTerm" : ${h.raftTerm}`);
  }

  del(r: DeleteRangeResponse): void {
    this.hdr(r.header);
    this.line(`"Deleted" : ${r.deleted}`);
    for (const kv of r.prevKvs) this.kv("Prev", kv);
  }
  get(r: RangeResponse): void {
    this.hdr(r.header);
    for (const kv of r.kvs) this.kv("", kv);
    this.line(`"More" : ${r.more}`);
    this.line(`"Count" : ${r.count}`);
  }
  put(r: PutResponse): void {
    this.hdr(r.header);
    if (r.prevKv) this.kv("Prev", r.prevKv);
  }
  txn(r: TxnResponse): void {
    this.hdr(r.header);
    this.line(`"Succeeded" : ${r.succeeded}`);
    for (const op of r.responses) {
      const res = op.response;
      if (res.case === "responseDeleteRange") this.del(res.value);
      else if (res.case === "responsePut") this.put(res.value);
      else if (res.case === "responseRange") this.get(res.value);
      else this.line(`"Unknown" : ${goQuote(String(res.case))}`);
    }
  }
  watch(r: WatchResponse): void {
    this.hdr(r.header);
    for (const e of r.events) {
      this.line(`"Type" : ${eventTypeName(e.type)}`);
      if (e.prevKv) this.kv("Prev", e.prevKv);
      if (e.kv) this.kv("", e.kv);
    }
  }
  grant(r: LeaseGrantResponse): void {
    this.hdr(r.header);
    this.line(`"ID" : ${r.ID}`);
    this.line(`"TTL" : ${r.TTL}`);
  }
  revoke(_id: bigint, r: LeaseRevokeResponse): void {
    this.hdr(r.header);
  }
  keepAlive(r: LeaseKeepAliveResponse): void {
    this.hdr(r.header);
    this.line(`"ID" : ${r.ID}`);
    this.line(`"TTL" : ${r.TTL}`);
  }
  timeToLive(r: LeaseTimeToLiveResponse): void {
    this.hdr(r.header);
    this.line(`"ID" : ${r.ID}`);
    this.line(`"TTL" : ${r.TTL}`);
    this.line(`"GrantedTTL" : ${r.grantedTTL}`);
    for (const k of r.keys) this.line(`"Key" : ${goQuote(k)}`);
  }
  leases(r: LeaseLeasesResponse): void {
    this.hdr(r.header);
    for (const l of r.leases) this.line(`"ID" : ${l.ID}`);
  }
  memberList(r: MemberListResponse): void {
    this.hdr(r.header);
    for (const m of r.members) {
      this.line(`"ID" : ${m.ID}`);
      this.line(`"Name" : ${goQuote(m.name)}`);
      for (const u of m.peerURLs) this.line(`"PeerURL" : ${goQuote(u)}`);
      for (const u of m.clientURLs) this.line(`"ClientURL" : ${goQuote(u)}`);
      this.line(`"IsLearner" : ${m.isLearner}`);
      this.line("");
    }
  }
  endpointHealth(hs: EpHealth[]): void {
    for (const h of hs) {
      this.line(`"Endpoint" : ${goQuote(h.ep)}`);
      this.line(`"Health" : ${h.health}`);
      this.line(`"Took" : ${h.took}`);
      this.line(`"Error" : ${h.error}`);
      this.line("");
    }
  }
  endpointStatus(ss: EpStatus[]): void {
    for (const { ep, resp } of ss) {
      this.hdr(resp.header);
      this.line(`"Version" : ${goQuote(resp.version)}`);
      this.line(`"DBSize" : ${resp.dbSize}`);
      this.line(`"Leader" : ${resp.leader}`);
      this.line(`"IsLearner" : ${resp.isLearner}`);
      this.line(`"RaftIndex" : ${resp.raftIndex}`);
      this.line(`"RaftTerm" : ${resp.raftTerm}`);
      this.line(`"RaftAppliedIndex" : ${resp.raftAppliedIndex}`);
      this.line(`"Errors" : [${resp.errors.join(" ")}]`);
      this.line(`"Endpoint" : ${goQuote(ep)}`);
      this.line("");
    }
  }
  endpointHashKV(hs: EpHashKV[]): void {
    for (const h of hs) {
      this.hdr(h.resp.header);
      this.line(`"Endpoint" : ${goQuote(h.ep)}`);
      this.line(`"Hash" : ${h.resp.hash}`);
      this.line("");
    }
  }
  alarm(r: AlarmResponse): void {
    this.hdr(r.header);
    for (const a of r.alarms) {
      this.line(`"MemberID" : ${a.memberID}`);
      this.line(`"AlarmType" : ${alarmTypeName(a.alarm)}`);
      this.line("");
    }
  }
  memberAdd(): void {
    unsupported("fields");
  }
  memberRemove(): void {
    unsupported("fields");
  }
  memberUpdate(): void {
    unsupported("fields");
  }
  memberPromote(): void {
    throw new GoPanic();
  }
  moveLeader(): void {
    unsupported("fields");
  }
}
