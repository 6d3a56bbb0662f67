// TEST-ONLY in-memory fake of EtcdServerApi (engine/server/api.ts), for testing the RPC services and the JSON
// gateway without the server core. It is not the engine: one member, no Raft, no MVCC history (a read at an old
// revision sees the current data), no leases, no sorting, compares only on single keys. It does number
// revisions the way etcd does (a fresh store is at 1; each write request, a whole txn included, adds one), and
// shapes responses as etcd's server does (headers; MemberList's header without revision; Alarm without one),
// so responses can be compared field by field with a real etcd. `calls` records what reached the server.
import { create, type DescMessage } from "@bufbuild/protobuf";
import { rpcError, rpctypes } from "../../../rpc/errors.ts";
import {
  AlarmResponseSchema, LeaseGrantResponseSchema, LeaseRevokeResponseSchema, LeaseKeepAliveResponseSchema,
  LeaseTimeToLiveResponseSchema, LeaseLeasesResponseSchema,
  DefragmentResponseSchema, Compare_CompareResult as Result, Compare_CompareTarget as Target, CompactionResponseSchema,
  DeleteRangeResponseSchema, HashKVResponseSchema, HashResponseSchema, MemberListResponseSchema, MemberSchema,
  MemberAddResponseSchema, MemberRemoveResponseSchema, MemberUpdateResponseSchema, MemberPromoteResponseSchema, MoveLeaderResponseSchema,
  PutResponseSchema, RangeResponseSchema, ResponseHeaderSchema, ResponseOpSchema, StatusResponseSchema, TxnResponseSchema,
  type Compare, type DeleteRangeRequest, type PutRequest, type RangeRequest, type RequestOp, type ResponseOp, type TxnRequest,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { KeyValueSchema, type KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { EtcdServerApi, ServerLimits } from "../../../engine/server/api.ts";

export interface FakeServer extends EtcdServerApi {
  /** Names of the EtcdServerApi methods called, in order. */
  readonly calls: string[];
  /** Sets what healthy() answers. */
  setHealthy(ok: boolean): void;
}

const CLUSTER_ID = 0x1111n;
const MEMBER_ID = 0x2222n;
const id = (k: Uint8Array) => Buffer.from(k).toString("latin1");
const inRange = (k: string, key: string, end: string) => (end === "" ? k === key : k >= key && (end === "\0" || k < end));

export function createFakeServer(limits: Partial<ServerLimits> = {}, clientUrl = "http://127.0.0.1:2379"): FakeServer {
  const data = new Map<string, KeyValue>();
  const calls: string[] = [];
  let rev = 1n;
  let compacted = 0n;
  let healthy = true;
  /** Set by put/del when they change data; read by write(). */
  let changed = false;
  const header = (revision = rev) => create(ResponseHeaderSchema, { clusterId: CLUSTER_ID, memberId: MEMBER_ID, revision, raftTerm: 2n });
  const matching = (key: Uint8Array, end: Uint8Array) =>
    [...data.keys()].filter((k) => inRange(k, id(key), id(end))).sort().map((k) => data.get(k)!);

  const range = (r: RangeRequest, at: bigint) => {
    if (r.revision > rev) throw rpcError(rpctypes.FutureRev);
    if (r.revision > 0n && r.revision < compacted) throw rpcError(rpctypes.Compacted);
    const all = matching(r.key, r.rangeEnd);
    const kvs = r.countOnly ? [] : r.limit > 0n ? all.slice(0, Number(r.limit)) : all;
    return create(RangeResponseSchema, {
      header: header(at), count: BigInt(all.length), more: kvs.length < all.length && !r.countOnly,
      kvs: kvs.map((kv) => (r.keysOnly ? create(KeyValueSchema, { ...kv, value: new Uint8Array() }) : kv)),
    });
  };
  const put = (r: PutRequest, at: bigint) => {
    const prev = data.get(id(r.key));
    if ((r.ignoreValue || r.ignoreLease) && !prev) throw rpcError(rpctypes.KeyNotFound);
    changed = true;
    data.set(id(r.key), create(KeyValueSchema, {
      key: r.key, value: r.ignoreValue ? prev!.value : r.value, lease: r.ignoreLease ? prev!.lease : r.lease,
      createRevision: prev?.createRevision ?? at, modRevision: at, version: (prev?.version ?? 0n) + 1n,
    }));
    return create(PutResponseSchema, { header: header(at), prevKv: r.prevKv ? prev : undefined });
  };
  const del = (r: DeleteRangeRequest, at: bigint) => {
    const gone = matching(r.key, r.rangeEnd);
    for (const kv of gone) data.delete(id(kv.key));
    if (gone.length > 0) changed = true;
    return create(DeleteRangeResponseSchema, { header: header(at), deleted: BigInt(gone.length), prevKvs: r.prevKv ? gone : [] });
  };
  /** A compare on one key (etcd's compare semantics for a missing key: value compares fail, numbers are 0). */
  const holds = (c: Compare) => {
    const kv = data.get(id(c.key));
    const u = c.targetUnion;
    let have: bigint | string, want: bigint | string;
    if (c.target === Target.VALUE) {
      if (!kv) return false;
      [have, want] = [id(kv.value), u.case === "value" ? id(u.value) : ""];
    } else {
      const numbers = { [Target.VERSION]: kv?.version, [Target.CREATE]: kv?.createRevision, [Target.MOD]: kv?.modRevision, [Target.LEASE]: kv?.lease };
      [have, want] = [numbers[c.target] ?? 0n, typeof u.value === "bigint" ? u.value : 0n];
    }
    if (c.result === Result.EQUAL) return have === want;
    if (c.result === Result.NOT_EQUAL) return have !== want;
    return c.result === Result.GREATER ? have > want : have < want;
  };
  const txn = (r: TxnRequest, at: bigint): ReturnType<typeof create<typeof TxnResponseSchema>> => {
    const succeeded = r.compare.every(holds);
    const responses = (succeeded ? r.success : r.failure).map((op): ResponseOp => {
      const q = op.request;
      const nested = (revision: bigint) => create(ResponseHeaderSchema, { revision });
      switch (q.case) {
        case "requestRange": return create(ResponseOpSchema, { response: { case: "responseRange", value: { ...range(q.value, at), header: nested(at) } } });
        case "requestPut": return create(ResponseOpSchema, { response: { case: "responsePut", value: { ...put(q.value, at), header: nested(at) } } });
        case "requestDeleteRange": return create(ResponseOpSchema, { response: { case: "responseDeleteRange", value: { ...del(q.value, at), header: nested(at) } } });
        case "requestTxn": return create(ResponseOpSchema, { response: { case: "responseTxn", value: { ...txn(q.value, at), header: undefined } } });
        default: throw rpcError(rpctypes.KeyNotFound);
      }
    });
    return create(TxnResponseSchema, { header: header(at), succeeded, responses });
  };
  /**
   * A write request at the next revision; etcd bumps the revision only when something changed, so when nothing
   * did the request is answered again at the current one (it changed nothing, so running it again is harmless).
   */
  const write = <T>(f: (at: bigint) => T): T => {
    changed = false;
    const out = f(rev + 1n);
    if (changed) {
      rev += 1n;
      return out;
    }
    return f(rev);
  };

  /** A method that records its call and answers an empty `schema` message. */
  const answered = <S extends DescMessage>(name: string, schema: S) => async () => {
    calls.push(name);
    return create(schema);
  };

  return {
    calls,
    limits: { maxRequestBytes: limits.maxRequestBytes ?? 1.5 * 1024 * 1024, maxTxnOps: limits.maxTxnOps ?? 128 },
    setHealthy: (ok) => void (healthy = ok),
    async range(r) {
      calls.push("range");
      return range(r, rev);
    },
    async put(r) {
      calls.push("put");
      return write((at) => put(r, at));
    },
    async deleteRange(r) {
      calls.push("deleteRange");
      return write((at) => del(r, at));
    },
    async txn(r) {
      calls.push("txn");
      return write((at) => txn(r, at));
    },
    async compact(r) {
      calls.push("compact");
      if (r.revision > rev) throw rpcError(rpctypes.FutureRev);
      if (r.revision <= compacted) throw rpcError(rpctypes.Compacted);
      compacted = r.revision;
      return create(CompactionResponseSchema, { header: header() });
    },
    async status() {
      calls.push("status");
      return create(StatusResponseSchema, {
        header: header(), version: "3.4.23", dbSize: 20480n, leader: MEMBER_ID, raftIndex: rev + 4n, raftTerm: 2n,
        raftAppliedIndex: rev + 4n, dbSizeInUse: 16384n,
      });
    },
    async alarm() {
      calls.push("alarm");
      return create(AlarmResponseSchema, {});
    },
    async hash() {
      calls.push("hash");
      return create(HashResponseSchema, { header: header(), hash: Bun.hash.crc32(JSON.stringify([...data.keys()])) });
    },
    async hashKV(r) {
      calls.push("hashKV");
      return create(HashKVResponseSchema, { header: header(r.revision || rev), hash: Bun.hash.crc32(JSON.stringify([...data.keys()])), compactRevision: compacted });
    },
    *snapshot() {
      calls.push("snapshot");
      yield { remainingBytes: 0, blob: new Uint8Array(32) };
    },
    async defragment() {
      calls.push("defragment");
      return create(DefragmentResponseSchema, { header: header() });
    },
    async memberList() {
      calls.push("memberList");
      return create(MemberListResponseSchema, {
        header: create(ResponseHeaderSchema, { clusterId: CLUSTER_ID, memberId: MEMBER_ID, raftTerm: 2n }),
        members: [create(MemberSchema, { ID: MEMBER_ID, name: "default", peerURLs: ["http://127.0.0.1:2380"], clientURLs: [clientUrl] })],
      });
    },
    // Membership changes and MoveLeader: recorded and answered with empty responses (tested against the real server).
    async memberAdd(r) {
      calls.push("memberAdd");
      return create(MemberAddResponseSchema, { member: create(MemberSchema, { ID: 1n, peerURLs: r.peerURLs, isLearner: r.isLearner }) });
    },
    memberRemove: answered("memberRemove", MemberRemoveResponseSchema),
    memberUpdate: answered("memberUpdate", MemberUpdateResponseSchema),
    memberPromote: answered("memberPromote", MemberPromoteResponseSchema),
    moveLeader: answered("moveLeader", MoveLeaderResponseSchema),
    // Leases: recorded and answered with empty responses (the lessor is tested against the real server).
    async leaseGrant(r) {
      calls.push("leaseGrant");
      return create(LeaseGrantResponseSchema, { header: header(), ID: r.ID || 1n, TTL: r.TTL });
    },
    async leaseRevoke() {
      calls.push("leaseRevoke");
      return create(LeaseRevokeResponseSchema, { header: header() });
    },
    async waitApplied() {},
    async leaseRenew(id) {
      calls.push("leaseKeepAlive");
      return create(LeaseKeepAliveResponseSchema, { header: header(), ID: id, TTL: 0n });
    },
    async leaseTimeToLive(r) {
      calls.push("leaseTimeToLive");
      return create(LeaseTimeToLiveResponseSchema, { header: header(), ID: r.ID, TTL: -1n });
    },
    async leaseLeases() {
      calls.push("leaseLeases");
      return create(LeaseLeasesResponseSchema, { header: header() });
    },
    watchStream: () => {
      throw new Error("the TEST-ONLY fake server has no watchable store");
    },
    header: () => header(),
    metricsText: () => `# HELP etcd_server_has_leader Whether or not a leader exists. 1 is existence, 0 is not.\n# TYPE etcd_server_has_leader gauge\netcd_server_has_leader 1\n`,
    healthy: () => healthy,
  };
}

