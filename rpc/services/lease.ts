// etcd's Lease service (etcdserver/api/v3rpc/lease.go) over the server: LeaseGrant and LeaseRevoke go through
// Raft; LeaseKeepAlive is a bidirectional stream answering each request with the renewed TTL (0 for an
// unknown lease, as etcd); LeaseTimeToLive answers TTL -1 for an unknown lease; LeaseLeases lists them.
// Engine errors are mapped to etcd's messages and codes. Grant and Revoke pass the auth-token hook first.
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { Lease, type LeaseKeepAliveRequest, type LeaseKeepAliveResponse } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { toRpcError } from "../../engine/server/errors.ts";
import { authorized, invalidTokenRpc } from "./auth_token.ts";

const mapped = <T>(p: Promise<T>): Promise<T> => p.catch((e) => Promise.reject(toRpcError(e)));

export function leaseService(server: EtcdServerApi): ServiceImpl<typeof Lease> {
  return {
    leaseGrant: (req, ctx) => authorized(ctx, server, invalidTokenRpc, () => mapped(server.leaseGrant(req))),
    leaseRevoke: (req, ctx) => authorized(ctx, server, invalidTokenRpc, () => mapped(server.leaseRevoke(req))),
    leaseTimeToLive: (req) => mapped(server.leaseTimeToLive(req)),
    leaseLeases: () => mapped(server.leaseLeases()),
    async *leaseKeepAlive(requests: AsyncIterable<LeaseKeepAliveRequest>, ctx: HandlerContext): AsyncGenerator<LeaseKeepAliveResponse> {
      for await (const req of requests) {
        if (ctx.signal.aborted) return;
        yield await mapped(server.leaseRenew(req.ID));
      }
    },
  };
}
