// clientv3/concurrency.Election: candidates put "<pfx>/<lease id in hex>" = proposal on their session lease;
// the leader is the key under the prefix with the lowest create revision. Campaign waits until every older
// candidate is gone; Proclaim rewrites the value while still leader; Resign deletes the leader key (guarded by
// its create revision); observe() yields the current leader then every change (as GetResponses: the header
// and the one leader key-value), as clientv3's Observe channel does.
// Invariants: same keys, values and transactions as clientv3, so bunetcd and Go campaigners interoperate.
import { clone, create } from "@bufbuild/protobuf";
import { type RangeResponse, RangeResponseSchema, type ResponseHeader, ResponseHeaderSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { Event_EventType, type KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { CtlClient } from "../client.ts";
import { prefixEnd } from "../../../engine/bytes/prefix_end.ts";
import { raceAbort } from "./cancel.ts";
import { bytes, createRevIs, firstCreate, opDelete, opGetKey, opPut } from "./ops.ts";
import type { Session } from "./session.ts";
import { waitDeletes } from "./wait_deletes.ts";
import { watchResponses } from "./watch.ts";

export const ErrElectionNotLeader = "election: not leader";

export class Election {
  readonly keyPrefix: string;
  private leaderKey = "";
  private leaderRev = 0n;
  private leader: Session | undefined;
  private hdr: ResponseHeader | undefined;

  constructor(
    private readonly session: Session,
    pfx: string,
  ) {
    this.keyPrefix = `${pfx}/`;
  }

  private get client(): CtlClient {
    return this.session.client;
  }

  private txn(compare: ReturnType<typeof createRevIs>, success: ReturnType<typeof opPut>[], failure: ReturnType<typeof opPut>[] = []) {
    return this.client.rpc((s, o) => s.kv.txn({ compare: [compare], success, failure }, o), { timeoutMs: null });
  }

  async campaign(val: string, signal: AbortSignal): Promise<void> {
    const s = this.session;
    const k = `${this.keyPrefix}${s.lease.toString(16)}`;
    const resp = await raceAbort(this.txn(createRevIs(k, 0n), [opPut(k, val, s.lease)], [opGetKey(k)]), signal);
    this.leaderKey = k;
    this.leaderRev = resp.header?.revision ?? 0n;
    this.leader = s;
    if (!resp.succeeded) {
      const r = resp.responses[0]?.response;
      const kv = r?.case === "responseRange" ? r.value.kvs[0] : undefined;
      this.leaderRev = kv?.createRevision ?? 0n;
      if (kv && new TextDecoder().decode(kv.value) !== val) {
        try {
          await raceAbort(this.proclaim(val), signal);
        } catch (e) {
          await this.resign().catch(() => undefined);
          throw e;
        }
      }
    }
    try {
      await waitDeletes(this.client, this.keyPrefix, this.leaderRev - 1n, signal);
    } catch (e) {
      if (signal.aborted) await this.resign().catch(() => undefined);
      else this.leader = undefined;
      throw e;
    }
    this.hdr = resp.header;
  }

  async proclaim(val: string): Promise<void> {
    if (!this.leader) throw new Error(ErrElectionNotLeader);
    const resp = await this.txn(createRevIs(this.leaderKey, this.leaderRev), [opPut(this.leaderKey, val, this.leader.lease)]);
    if (!resp.succeeded) {
      this.leaderKey = "";
      throw new Error(ErrElectionNotLeader);
    }
    this.hdr = resp.header;
  }

  async resign(): Promise<void> {
    if (!this.leader) return;
    try {
      const resp = await this.txn(createRevIs(this.leaderKey, this.leaderRev), [opDelete(this.leaderKey)]);
      this.hdr = resp.header;
    } finally {
      this.leaderKey = "";
      this.leader = undefined;
    }
  }

  key(): string {
    return this.leaderKey;
  }

  header(): ResponseHeader | undefined {
    return this.hdr;
  }

  /** clientv3 Election.Observe: ends (without error) when the signal aborts or a watch/get fails. */
  async *observe(signal: AbortSignal): AsyncGenerator<RangeResponse> {
    const pfx = bytes(this.keyPrefix);
    const response = (header: ResponseHeader | undefined, kv: KeyValue) => create(RangeResponseSchema, { header, kvs: [kv] });
    try {
      while (!signal.aborted) {
        const resp = await raceAbort(this.client.rpc((s, o) => s.kv.range(firstCreate(this.keyPrefix), o), { timeoutMs: null }), signal);
        let kv = resp.kvs[0];
        let hdr = resp.header;
        if (!kv) {
          // wait for the first put on the prefix (a delete would make observe spin)
          for await (const wr of watchResponses(this.client, { key: pfx, rangeEnd: prefixEnd(pfx), startRevision: hdr?.revision ?? 0n }, signal)) {
            const put = wr.events.find((ev) => ev.type === Event_EventType.PUT);
            if (put?.kv) {
              kv = put.kv;
              // the batch may hold several revisions: report the put's own
              hdr = wr.header ? clone(ResponseHeaderSchema, wr.header) : create(ResponseHeaderSchema);
              hdr.revision = kv.modRevision;
              break;
            }
          }
          if (!kv) return;
        }
        yield response(hdr, kv);
        let deleted = false;
        for await (const wr of watchResponses(this.client, { key: kv.key, startRevision: (hdr?.revision ?? 0n) + 1n }, signal)) {
          for (const ev of wr.events) {
            if (ev.type === Event_EventType.DELETE) {
              deleted = true;
              break;
            }
            if (ev.kv) yield response(wr.header, ev.kv);
          }
          if (deleted) break;
        }
        if (!deleted) return;
      }
    } catch {
      // clientv3 closes the Observe channel on any error
    }
  }
}
