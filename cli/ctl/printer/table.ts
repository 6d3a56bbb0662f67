// etcdctl's "table" output format (printer_table.go): member list and endpoint results as tables; every other
// result fails as in etcdctl ("table not supported as output format") unless `everywhere` (bunetcd's own
// command line), where key-value results become KEY/VALUE/… tables and the rest a FIELD/VALUE table of the
// fields format.
import type * as pb from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { Sink } from "../io.ts";
import { FieldsPrinter } from "./fields.ts";
import { endpointHashKVTable, endpointHealthTable, endpointStatusTable, memberListTable, type Table } from "./rows.ts";
import { eventTypeName, hexEscaped } from "./simple.ts";
import { renderTable } from "./tablewriter.ts";
import type { EpHashKV, EpHealth, EpStatus, Printer } from "./types.ts";
import { unsupported } from "./unsupported.ts";

const KV_HDR = ["key", "value", "create revision", "mod revision", "version", "lease"];

export class TablePrinter implements Printer {
  valueOnly = false;
  constructor(
    private readonly sink: Sink,
    private readonly everywhere: boolean,
    private readonly isHex: boolean,
  ) {}

  private table(t: Table): void {
    this.sink.out(renderTable(t.hdr, t.rows));
  }

  private text(b: Uint8Array): string {
    return this.isHex ? hexEscaped(b) : new TextDecoder().decode(b);
  }
  private kvRow(kv: KeyValue, lead: string[] = []): string[] {
    return [...lead, this.text(kv.key), this.text(kv.value), String(kv.createRevision), String(kv.modRevision), String(kv.version), String(kv.lease)];
  }

  /** Any result through the fields format, as a FIELD/VALUE table (bunetcd only). */
  private viaFields(render: (p: Printer) => void): void {
    if (!this.everywhere) unsupported("table");
    const lines: string[] = [];
    const dec = new TextDecoder();
    render(new FieldsPrinter({ out: (c) => lines.push(typeof c === "string" ? c : dec.decode(c)), err: this.sink.err }));
    const rows = lines
      .join("")
      .split("\n")
      .filter((l) => l.startsWith('"'))
      .map((l) => {
        const at = l.indexOf('" : ');
        return [l.slice(1, at), l.slice(at + 4)];
      });
    this.table({ hdr: ["field", "value"], rows });
  }

  get(r: pb.RangeResponse): void {
    if (!this.everywhere) unsupported("table");
    this.table({ hdr: KV_HDR, rows: r.kvs.map((kv) => this.kvRow(kv)) });
  }
  del(r: pb.DeleteRangeResponse): void {
    if (!this.everywhere || r.prevKvs.length === 0) return this.viaFields((p) => p.del(r));
    this.table({ hdr: KV_HDR, rows: r.prevKvs.map((kv) => this.kvRow(kv)) });
  }
  watch(r: pb.WatchResponse): void {
    if (!this.everywhere) unsupported("table");
    this.table({ hdr: ["type", ...KV_HDR], rows: r.events.map((e) => this.kvRow(e.kv!, [eventTypeName(e.type)])) });
  }
  put(r: pb.PutResponse): void {
    this.viaFields((p) => p.put(r));
  }
  txn(r: pb.TxnResponse): void {
    this.viaFields((p) => p.txn(r));
  }
  grant(r: pb.LeaseGrantResponse): void {
    this.viaFields((p) => p.grant(r));
  }
  revoke(id: bigint, r: pb.LeaseRevokeResponse): void {
    this.viaFields((p) => p.revoke(id, r));
  }
  keepAlive(r: pb.LeaseKeepAliveResponse): void {
    this.viaFields((p) => p.keepAlive(r));
  }
  timeToLive(r: pb.LeaseTimeToLiveResponse, keys: boolean): void {
    this.viaFields((p) => p.timeToLive(r, keys));
  }
  leases(r: pb.LeaseLeasesResponse): void {
    this.viaFields((p) => p.leases(r));
  }
  memberAdd(r: pb.MemberAddResponse): void {
    if (!this.everywhere) unsupported("table");
    this.table(memberListTable({ members: r.member ? [r.member] : [] } as unknown as pb.MemberListResponse));
  }
  memberRemove(_id: bigint, r: pb.MemberRemoveResponse): void {
    this.memberChange(r);
  }
  memberUpdate(_id: bigint, r: pb.MemberUpdateResponse): void {
    this.memberChange(r);
  }
  memberPromote(_id: bigint, r: pb.MemberPromoteResponse): void {
    this.memberChange(r);
  }
  private memberChange(r: { members: pb.Member[] }): void {
    if (!this.everywhere) unsupported("table");
    this.table(memberListTable(r as pb.MemberListResponse));
  }
  memberList(r: pb.MemberListResponse): void {
    this.table(memberListTable(r));
  }
  endpointHealth(hs: EpHealth[]): void {
    this.table(endpointHealthTable(hs));
  }
  endpointStatus(ss: EpStatus[]): void {
    this.table(endpointStatusTable(ss));
  }
  endpointHashKV(hs: EpHashKV[]): void {
    this.table(endpointHashKVTable(hs));
  }
  moveLeader(_l: bigint, _t: bigint, r: pb.MoveLeaderResponse): void {
    // the fields format has no move-leader rendering; its header is the whole response
    this.viaFields((p) => p.put(r as unknown as pb.PutResponse));
  }
  alarm(r: pb.AlarmResponse): void {
    this.viaFields((p) => p.alarm(r));
  }
}
