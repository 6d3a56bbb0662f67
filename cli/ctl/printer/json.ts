// etcdctl's "json" output format (printer_json.go): encoding/json of the Go value etcdctl holds — the
// protobuf structs for most results, clientv3's wrapper structs for lease and watch results (whose embedded
// header is flattened and whose own fields have other names), plain structs for endpoint results.
import type { DescMessage } from "@bufbuild/protobuf";
import * as pb from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EventSchema } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { goJsonString } from "../gofmt.ts";
import type { Sink } from "../io.ts";
import { goJson, goJsonMembers } from "./go_json.ts";
import type { EpHashKV, EpHealth, EpStatus, Printer } from "./types.ts";
import { GoPanic } from "./unsupported.ts";

type Msg = Record<string, unknown>;
const header = (h: pb.ResponseHeader | undefined) => (h ? goJsonMembers(pb.ResponseHeaderSchema, h as unknown as Msg) : []);
const b64 = (b: Uint8Array) => `"${Buffer.from(b).toString("base64")}"`;

export class JsonPrinter implements Printer {
  valueOnly = false;
  constructor(private readonly sink: Sink) {}

  private line(s: string): void {
    this.sink.out(`${s}\n`);
  }
  private msg(schema: DescMessage, m: unknown): void {
    this.line(goJson(schema, m as Msg));
  }
  private obj(members: string[]): void {
    this.line(`{${members.join(",")}}`);
  }

  del(r: pb.DeleteRangeResponse): void {
    this.msg(pb.DeleteRangeResponseSchema, r);
  }
  get(r: pb.RangeResponse): void {
    this.msg(pb.RangeResponseSchema, r);
  }
  put(r: pb.PutResponse): void {
    this.msg(pb.PutResponseSchema, r);
  }
  txn(r: pb.TxnResponse): void {
    this.msg(pb.TxnResponseSchema, r);
  }
  watch(r: pb.WatchResponse): void {
    const events = r.events.length === 0 ? "null" : `[${r.events.map((e) => goJson(EventSchema, e as unknown as Msg)).join(",")}]`;
    this.obj([
      `"Header":${goJson(pb.ResponseHeaderSchema, (r.header ?? {}) as Msg)}`,
      `"Events":${events}`,
      `"CompactRevision":${r.compactRevision}`,
      `"Canceled":${r.canceled}`,
      `"Created":${r.created}`,
    ]);
  }
  grant(r: pb.LeaseGrantResponse): void {
    this.obj([...header(r.header), `"ID":${r.ID}`, `"TTL":${r.TTL}`, `"Error":${goJsonString(r.error)}`]);
  }
  revoke(_id: bigint, r: pb.LeaseRevokeResponse): void {
    this.msg(pb.LeaseRevokeResponseSchema, r);
  }
  keepAlive(r: pb.LeaseKeepAliveResponse): void {
    this.obj([...header(r.header), `"ID":${r.ID}`, `"TTL":${r.TTL}`]);
  }
  timeToLive(r: pb.LeaseTimeToLiveResponse): void {
    const keys = r.keys.length === 0 ? "null" : `[${r.keys.map(b64).join(",")}]`;
    this.obj([...header(r.header), `"id":${r.ID}`, `"ttl":${r.TTL}`, `"granted-ttl":${r.grantedTTL}`, `"keys":${keys}`]);
  }
  leases(r: pb.LeaseLeasesResponse): void {
    this.obj([...header(r.header), `"leases":[${r.leases.map((l) => `{"id":${l.ID}}`).join(",")}]`]);
  }
  memberAdd(r: pb.MemberAddResponse): void {
    this.msg(pb.MemberAddResponseSchema, r);
  }
  memberRemove(_id: bigint, r: pb.MemberRemoveResponse): void {
    this.msg(pb.MemberRemoveResponseSchema, r);
  }
  memberUpdate(_id: bigint, r: pb.MemberUpdateResponse): void {
    this.msg(pb.MemberUpdateResponseSchema, r);
  }
  memberPromote(): void {
    throw new GoPanic();
  }
  memberList(r: pb.MemberListResponse): void {
    this.msg(pb.MemberListResponseSchema, r);
  }
  endpointHealth(hs: EpHealth[]): void {
    const one = (h: EpHealth) =>
      `{"endpoint":${goJsonString(h.ep)},"health":${h.health},"took":${goJsonString(h.took)}${h.error ? `,"error":${goJsonString(h.error)}` : ""}}`;
    this.line(`[${hs.map(one).join(",")}]`);
  }
  endpointStatus(ss: EpStatus[]): void {
    const one = (s: EpStatus) => `{"Endpoint":${goJsonString(s.ep)},"Status":${goJson(pb.StatusResponseSchema, s.resp as unknown as Msg)}}`;
    this.line(`[${ss.map(one).join(",")}]`);
  }
  endpointHashKV(hs: EpHashKV[]): void {
    const one = (h: EpHashKV) => `{"Endpoint":${goJsonString(h.ep)},"HashKV":${goJson(pb.HashKVResponseSchema, h.resp as unknown as Msg)}}`;
    this.line(`[${hs.map(one).join(",")}]`);
  }
  moveLeader(_l: bigint, _t: bigint, r: pb.MoveLeaderResponse): void {
    this.msg(pb.MoveLeaderResponseSchema, r);
  }
  alarm(r: pb.AlarmResponse): void {
    this.msg(pb.AlarmResponseSchema, r);
  }
}
