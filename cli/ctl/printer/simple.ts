// etcdctl's "simple" output format (printer_simple.go): keys and values as raw bytes (or \x-escaped hex with
// --hex), one line each; fixed sentences for lease, member and leadership results.
import type { KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type {
  AlarmResponse, DeleteRangeResponse, LeaseGrantResponse, LeaseKeepAliveResponse, LeaseLeasesResponse,
  LeaseTimeToLiveResponse, MemberAddResponse, MemberListResponse, PutResponse, RangeResponse, TxnResponse,
  WatchResponse,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { AlarmType } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { hex016, hex16, hex } from "../gofmt.ts";
import { bytesOf, type Sink } from "../io.ts";
import { endpointHashKVTable, endpointStatusTable, memberListTable, type Table } from "./rows.ts";
import type { EpHashKV, EpHealth, EpStatus, Printer } from "./types.ts";

/** addHexPrefix(hex.EncodeToString(b)): every byte as \xNN. */
export function hexEscaped(b: Uint8Array): string {
  return Array.from(b, (x) => `\\x${x.toString(16).padStart(2, "0")}`).join("");
}

export const eventTypeName = (t: number) => (t === 1 ? "DELETE" : t === 0 ? "PUT" : String(t));
export const alarmTypeName = (t: number) => AlarmType[t] ?? String(t);

/** The cluster id of a result's header (a missing header prints as 0 instead of Go's nil dereference). */
const clusterId = (h: { clusterId: bigint } | undefined) => h?.clusterId ?? 0n;

export class SimplePrinter implements Printer {
  valueOnly = false;
  constructor(
    private readonly sink: Sink,
    private readonly isHex: boolean,
  ) {}

  private line(s: string): void {
    this.sink.out(`${s}\n`);
  }

  kv(kv: KeyValue): void {
    const k = this.isHex ? hexEscaped(kv.key) : kv.key;
    const v = this.isHex ? hexEscaped(kv.value) : kv.value;
    if (!this.valueOnly) this.sink.out(bytesOf(k, "\n"));
    this.sink.out(bytesOf(v, "\n"));
  }

  private rows(t: Table): void {
    for (const r of t.rows) this.line(r.join(", "));
  }

  del(r: DeleteRangeResponse): void {
    this.line(String(r.deleted));
    for (const kv of r.prevKvs) this.kv(kv);
  }
  get(r: RangeResponse): void {
    for (const kv of r.kvs) this.kv(kv);
  }
  put(r: PutResponse): void {
    this.line("OK");
    if (r.prevKv) this.kv(r.prevKv);
  }
  txn(r: TxnResponse): void {
    this.line(r.succeeded ? "SUCCESS" : "FAILURE");
    for (const op of r.responses) {
      this.line("");
      const res = op.response;
      if (res.case === "responseDeleteRange") this.del(res.value);
      else if (res.case === "responsePut") this.put(res.value);
      else if (res.case === "responseRange") this.get(res.value);
      else this.line(`unexpected response ${op.response.case ?? "<nil>"}`);
    }
  }
  watch(r: WatchResponse): void {
    for (const e of r.events) {
      this.line(eventTypeName(e.type));
      if (e.prevKv) this.kv(e.prevKv);
      if (e.kv) this.kv(e.kv);
    }
  }
  grant(r: LeaseGrantResponse): void {
    this.line(`lease ${hex016(r.ID)} granted with TTL(${r.TTL}s)`);
  }
  revoke(id: bigint): void {
    this.line(`lease ${hex016(id)} revoked`);
  }
  keepAlive(r: LeaseKeepAliveResponse): void {
    this.line(`lease ${hex016(r.ID)} keepalived with TTL(${r.TTL})`);
  }
  timeToLive(r: LeaseTimeToLiveResponse, keys: boolean): void {
    if (r.grantedTTL === 0n && r.TTL === -1n) {
      this.line(`lease ${hex016(r.ID)} already expired`);
      return;
    }
    let txt = `lease ${hex016(r.ID)} granted with TTL(${r.grantedTTL}s), remaining(${r.TTL}s)`;
    if (!keys) return this.line(txt);
    const dec = new TextDecoder();
    txt += `, attached keys([${r.keys.map((k) => dec.decode(k)).join(" ")}])`;
    this.line(txt);
  }
  leases(r: LeaseLeasesResponse): void {
    this.line(`found ${r.leases.length} leases`);
    for (const l of r.leases) this.line(hex016(l.ID));
  }
  alarm(r: AlarmResponse): void {
    for (const a of r.alarms) this.line(`memberID:${a.memberID} alarm:${alarmTypeName(a.alarm)} `);
  }
  memberAdd(r: MemberAddResponse): void {
    this.line(`Member ${hex16(r.member?.ID ?? 0n)} added to cluster ${hex16(clusterId(r.header))}`);
  }
  memberRemove(id: bigint, r: { header?: { clusterId: bigint } }): void {
    this.line(`Member ${hex16(id)} removed from cluster ${hex16(clusterId(r.header))}`);
  }
  memberUpdate(id: bigint, r: { header?: { clusterId: bigint } }): void {
    this.line(`Member ${hex16(id)} updated in cluster ${hex16(clusterId(r.header))}`);
  }
  memberPromote(id: bigint, r: { header?: { clusterId: bigint } }): void {
    this.line(`Member ${hex16(id)} promoted in cluster ${hex16(clusterId(r.header))}`);
  }
  memberList(r: MemberListResponse): void {
    this.rows(memberListTable(r));
  }
  endpointHealth(hs: EpHealth[]): void {
    for (const h of hs) {
      if (h.error === "") this.sink.err(`${h.ep} is healthy: successfully committed proposal: took = ${h.took}\n`);
      else this.sink.err(`${h.ep} is unhealthy: failed to commit proposal: ${h.error}\n`);
    }
  }
  endpointStatus(ss: EpStatus[]): void {
    this.rows(endpointStatusTable(ss));
  }
  endpointHashKV(hs: EpHashKV[]): void {
    this.rows(endpointHashKVTable(hs));
  }
  moveLeader(leader: bigint, target: bigint): void {
    this.line(`Leadership transferred from ${hex(leader)} to ${hex(target)}`);
  }
}
