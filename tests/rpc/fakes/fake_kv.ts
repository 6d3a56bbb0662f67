// TEST-ONLY in-memory fake of the etcd KV service, used to exercise the RPC transport (gRPC, Connect, gRPC-web)
// with the real etcdctl. It is not the engine: no MVCC history, no leases, no txn, no durability. Put and Range
// keep a sorted map with revisions; a request larger than `maxRequestBytes` fails with etcd's RequestTooLarge,
// the way etcd's --max-request-bytes check does.
import { create, toBinary } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { rpcError, rpctypes } from "../../../rpc/errors.ts";
import {
  type KV,
  PutRequestSchema,
  PutResponseSchema,
  RangeResponseSchema,
  ResponseHeaderSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { KeyValueSchema, type KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("latin1");

export interface FakeKv {
  impl: Partial<ServiceImpl<typeof KV>>;
  revision(): bigint;
}

export function createFakeKv(opts: { maxRequestBytes?: number; clusterId?: bigint; memberId?: bigint } = {}): FakeKv {
  const data = new Map<string, KeyValue>();
  let rev = 1n;
  const header = () => create(ResponseHeaderSchema, { clusterId: opts.clusterId ?? 0x1234n, memberId: opts.memberId ?? 0x5678n, revision: rev, raftTerm: 2n });
  const impl: Partial<ServiceImpl<typeof KV>> = {
    put(req) {
      if (opts.maxRequestBytes !== undefined && toBinary(PutRequestSchema, req).length > opts.maxRequestBytes) throw rpcError(rpctypes.RequestTooLarge);
      if (req.key.length === 0) throw rpcError(rpctypes.EmptyKey);
      const k = hex(req.key);
      const prev = data.get(k);
      rev++;
      data.set(k, create(KeyValueSchema, {
        key: req.key.slice(),
        value: req.value.slice(),
        createRevision: prev ? prev.createRevision : rev,
        modRevision: rev,
        version: (prev?.version ?? 0n) + 1n,
      }));
      return create(PutResponseSchema, { header: header(), prevKv: req.prevKv ? prev : undefined });
    },
    range(req) {
      if (req.key.length === 0) throw rpcError(rpctypes.EmptyKey);
      const lo = hex(req.key);
      const hi = req.rangeEnd.length === 0 ? undefined : hex(req.rangeEnd);
      const all = hi === undefined
        ? (data.has(lo) ? [data.get(lo)!] : [])
        : [...data.entries()].filter(([k]) => k >= lo && (hi === "\0" || k < hi)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
      const limit = Number(req.limit);
      const kvs = limit > 0 ? all.slice(0, limit) : all;
      return create(RangeResponseSchema, {
        header: header(),
        kvs: req.countOnly ? [] : req.keysOnly ? kvs.map((kv) => create(KeyValueSchema, { ...kv, value: new Uint8Array() })) : kvs,
        more: kvs.length < all.length,
        count: BigInt(all.length),
      });
    },
  };
  return { impl, revision: () => rev };
}
