// etcdctl's "protobuf" output format (printer_protobuf.go): the response message marshaled as raw bytes on
// stdout (no newline). Lease results are clientv3 wrappers whose only Marshal is the embedded header's, so
// only the header is written; watch results are re-wrapped into a WatchResponse without watch id.
import { create, type DescMessage, toBinary } from "@bufbuild/protobuf";
import * as pb from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { CtlError, ExitBadFeature } from "../errors.ts";
import type { Sink } from "../io.ts";
import type { Printer } from "./types.ts";
import { GoPanic, unsupported } from "./unsupported.ts";

export class ProtobufPrinter implements Printer {
  valueOnly = false;
  constructor(private readonly sink: Sink) {}

  private pb(schema: DescMessage, m: unknown): void {
    this.sink.out(toBinary(schema, m as never));
  }
  private hdr(h: pb.ResponseHeader | undefined): void {
    if (!h) throw new GoPanic();
    this.pb(pb.ResponseHeaderSchema, h);
  }

  del(r: pb.DeleteRangeResponse): void {
    this.pb(pb.DeleteRangeResponseSchema, r);
  }
  get(r: pb.RangeResponse): void {
    this.pb(pb.RangeResponseSchema, r);
  }
  put(r: pb.PutResponse): void {
    this.pb(pb.PutResponseSchema, r);
  }
  txn(r: pb.TxnResponse): void {
    this.pb(pb.TxnResponseSchema, r);
  }
  watch(r: pb.WatchResponse): void {
    const wr = create(pb.WatchResponseSchema, {
      header: r.header ?? create(pb.ResponseHeaderSchema),
      events: r.events,
      compactRevision: r.compactRevision,
      canceled: r.canceled,
      created: r.created,
    });
    this.pb(pb.WatchResponseSchema, wr);
  }
  grant(r: pb.LeaseGrantResponse): void {
    this.hdr(r.header);
  }
  revoke(): void {
    throw new CtlError(ExitBadFeature, "marshal unsupported for type clientv3.LeaseRevokeResponse");
  }
  keepAlive(r: pb.LeaseKeepAliveResponse): void {
    this.hdr(r.header);
  }
  timeToLive(r: pb.LeaseTimeToLiveResponse): void {
    this.hdr(r.header);
  }
  leases(r: pb.LeaseLeasesResponse): void {
    this.hdr(r.header);
  }
  memberAdd(r: pb.MemberAddResponse): void {
    this.pb(pb.MemberAddResponseSchema, r);
  }
  memberRemove(_id: bigint, r: pb.MemberRemoveResponse): void {
    this.pb(pb.MemberRemoveResponseSchema, r);
  }
  memberUpdate(_id: bigint, r: pb.MemberUpdateResponse): void {
    this.pb(pb.MemberUpdateResponseSchema, r);
  }
  memberPromote(): void {
    throw new GoPanic();
  }
  memberList(r: pb.MemberListResponse): void {
    this.pb(pb.MemberListResponseSchema, r);
  }
  endpointHealth(): void {
    unsupported("protobuf");
  }
  endpointStatus(): void {
    unsupported("protobuf");
  }
  endpointHashKV(): void {
    unsupported("protobuf");
  }
  moveLeader(_l: bigint, _t: bigint, r: pb.MoveLeaderResponse): void {
    this.pb(pb.MoveLeaderResponseSchema, r);
  }
  alarm(r: pb.AlarmResponse): void {
    this.pb(pb.AlarmResponseSchema, r);
  }
}
