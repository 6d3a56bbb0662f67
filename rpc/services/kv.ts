// etcd's KV service (etcdserver/api/v3rpc/key.go kvServer): each request passes key.go's checks (kv_checks.ts),
// then the auth-token hook (auth_token.ts), then goes to the server core, which answers with the full response
// header or throws etcd's error.
import type { ServiceImpl } from "@connectrpc/connect";
import type { KV } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import "./kv_encode.ts"; // registers the gRPC fast path's PutResponse/RangeResponse encoders
import { authorized, invalidTokenRpc } from "./auth_token.ts";
import { checkDeleteRequest, checkPutRequest, checkRangeRequest, checkTxnIntervals, checkTxnRequest } from "./kv_checks.ts";

export function kvService(server: EtcdServerApi): ServiceImpl<typeof KV> {
  return {
    range(req, ctx) {
      checkRangeRequest(req);
      return authorized(ctx, server, invalidTokenRpc, () => server.range(req));
    },
    put(req, ctx) {
      checkPutRequest(req);
      return authorized(ctx, server, invalidTokenRpc, () => server.put(req));
    },
    deleteRange(req, ctx) {
      checkDeleteRequest(req);
      return authorized(ctx, server, invalidTokenRpc, () => server.deleteRange(req));
    },
    txn(req, ctx) {
      checkTxnRequest(req, server.limits.maxTxnOps);
      // etcd checks put/delete overlaps only after the cheap checks, to avoid quadratic work on bad requests
      checkTxnIntervals(req);
      return authorized(ctx, server, invalidTokenRpc, () => server.txn(req));
    },
    compact(req, ctx) {
      return authorized(ctx, server, invalidTokenRpc, () => server.compact(req));
    },
  };
}
