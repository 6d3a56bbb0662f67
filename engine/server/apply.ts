// The apply loop's body: committed Raft entries, in log order, one at a time. Entries at or below the
// store's consistent_index were applied before a restart and are skipped (conf changes still reach Raft,
// whose membership is rebuilt by replay; member_apply.ts applies them). Each entry's effects and its
// index/term land in one backend transaction (MvccStore.applyEntry). The result (or error) goes to the
// waiting proposer by request id.
// Under an active NOSPACE alarm, requests that add data are refused as etcd's capped applier does; under CORRUPT,
// every KV and lease request in the log fails as with etcd's corrupt applier (reads served locally still work).
import { EntryType, decodeConfChange, type Entry, type RaftNode } from "../raft/index.ts";
import type { MvccStore } from "../mvcc/store.ts";
import type { AppliedEntry } from "../mvcc/requests.ts";
import { AlarmType } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { InternalRaftRequest } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/raft_internal_pb.ts";
import { rpcError, rpctypes } from "../../rpc/errors.ts";
import type { Alarms } from "./alarms.ts";
import type { Lessor } from "../lease/lessor.ts";
import { toRpcError } from "./errors.ts";
import { compactRevision, deleteToStore, putToStore, rangeToStore, txnToStore } from "./kv_convert.ts";
import { applyConfChangeEntry, replayConfChangeEntry } from "./member_apply.ts";
import type { Member, Membership } from "./membership.ts";
import { txnCost } from "./quota.ts";
import { decodeProposal, peekProposalId, proposalId } from "./proposal.ts";
import type { WaitRegistry } from "./wait.ts";

/** What a proposer gets back: the store's response, or an error to throw. */
export type ApplyResult = { ok: unknown } | { err: unknown };

export class Applier {
  constructor(
    private readonly store: MvccStore,
    private readonly node: RaftNode,
    private readonly membership: Membership,
    private readonly alarms: Alarms,
    private readonly lessor: Lessor,
    private readonly wait: WaitRegistry,
    private readonly onApplied: (index: number) => void,
    /** The decoded request this member proposed under `id`, if it still has it. */
    private readonly localRequest: (id: bigint) => InternalRaftRequest | undefined = () => undefined,
  ) {}

  applyEntries(entries: Entry[]): void {
    for (const e of entries) this.applyEntry(e);
  }

  private applyEntry(e: Entry): void {
    const applied = e.index <= this.store.consistentIndex().index;
    const at: AppliedEntry = { index: e.index, term: e.term };
    if (e.type === EntryType.EntryConfChange) {
      const cc = decodeConfChange(e.data);
      if (applied) replayConfChangeEntry(this.node, cc);
      else this.wait.trigger(cc.id ?? 0n, this.store.applyEntry(at, () => applyConfChangeEntry(this.membership, this.node, this.node.raft.id, cc)));
    } else if (!applied) {
      if (e.data.length === 0) this.store.markApplied(at); // a new leader's empty entry
      else {
        // A request proposed by this member is applied from the proposer's own decoded copy; any other
        // (replayed after a restart, or from another member) is decoded from the entry.
        const id = peekProposalId(e.data);
        const req = this.localRequest(id) ?? decodeProposal(e.data);
        const result = this.store.applyEntry(at, () => this.dispatch(req, at));
        this.wait.trigger(id || proposalId(req), result);
      }
    }
    this.onApplied(e.index);
  }

  private dispatch(r: InternalRaftRequest, at: AppliedEntry): ApplyResult {
    try {
      // etcd's applierV3Corrupt, outermost when CORRUPT is active: the KV and lease requests that reach the log fail.
      if (this.alarms.has(AlarmType.CORRUPT) && corruptRefuses(r)) throw rpcError(rpctypes.Corrupt);
      if (r.put) {
        if (this.alarms.has(AlarmType.NOSPACE)) throw rpcError(rpctypes.NoSpace);
        return { ok: this.store.put(putToStore(r.put), at) };
      }
      if (r.deleteRange) return { ok: this.store.deleteRange(deleteToStore(r.deleteRange), at) };
      if (r.txn) {
        const txn = txnToStore(r.txn);
        // Under NOSPACE a txn is refused when it would add data: any put in either branch (a non-zero quota cost).
        if (this.alarms.has(AlarmType.NOSPACE) && txnCost(r.txn) > 0) throw rpcError(rpctypes.NoSpace);
        return { ok: this.store.txn(txn, at) };
      }
      if (r.compaction) return { ok: this.store.compact(compactRevision(r.compaction), at) };
      if (r.leaseGrant) {
        if (this.alarms.has(AlarmType.NOSPACE)) throw rpcError(rpctypes.NoSpace);
        return { ok: { ID: r.leaseGrant.ID, TTL: this.lessor.grant(r.leaseGrant.ID, Number(r.leaseGrant.TTL)) } };
      }
      if (r.leaseRevoke) return { ok: this.revoke(r.leaseRevoke.ID, at) };
      if (r.range) return { ok: this.store.range(rangeToStore(r.range)) };
      if (r.alarm) return { ok: this.alarms.apply(r.alarm) };
      if (r.v2) return { ok: this.applyV2(r.v2.Method ?? "", r.v2.Path ?? "", r.v2.Val ?? "") };
      return { err: new Error("etcdserver: unsupported request in the log") };
    } catch (e) {
      return { err: toRpcError(e) };
    }
  }

  /** Deletes every key attached to the lease in one revision (etcd's lessor.Revoke), then the lease. */
  private revoke(id: bigint, at: AppliedEntry): null {
    const keys = this.lessor.keysOf(id);
    if (keys.length) this.store.txn({ compare: [], success: keys.map((key) => ({ case: "requestDeleteRange" as const, value: { key } })), failure: [] }, at);
    this.lessor.remove(id);
    return null;
  }

  /** etcd 3.4 publishes member attributes and the cluster version as v2 PUTs. */
  private applyV2(method: string, path: string, val: string): null {
    if (method !== "PUT") return null;
    const attrs = /^\/0\/members\/([0-9a-f]+)\/attributes$/.exec(path);
    if (attrs) {
      const id = BigInt(`0x${attrs[1]}`);
      const m = this.membership.members.get(id);
      const a = JSON.parse(val) as { name?: string; clientURLs?: string[] };
      if (m) this.membership.save({ ...m, name: a.name ?? "", clientURLs: a.clientURLs ?? [] } as Member);
    } else if (path === "/0/version") {
      this.membership.setClusterVersion(val);
    }
    return null;
  }
}

/** The requests etcd's applierV3Corrupt refuses (Range, Put, DeleteRange, Txn, Compaction, LeaseGrant, LeaseRevoke). */
function corruptRefuses(r: InternalRaftRequest): boolean {
  return !!(r.range || r.put || r.deleteRange || r.txn || r.compaction || r.leaseGrant || r.leaseRevoke);
}
