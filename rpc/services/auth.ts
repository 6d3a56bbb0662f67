// etcd's Auth service while auth is disabled (bunetcd cannot enable it yet: AuthEnable is not built).
// Authenticate answers what etcd 3.4 answers then (auth/store.go Authenticate: ErrAuthNotEnabled →
// "etcdserver: authentication is not enabled", FailedPrecondition). Every other Auth RPC reads or changes the
// auth store, which is not built yet, and answers Unimplemented, after the auth-token hook as in etcd (a request
// carrying a token is refused as etcd refuses it: auth_token.ts).
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { authorized, invalidTokenRpc } from "./auth_token.ts";
import { rpcError, rpctypes } from "../errors.ts";
import { Auth } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { notImplementedService } from "./not_implemented.ts";

export function authService(server: EtcdServerApi): ServiceImpl<typeof Auth> {
  const impl: Record<string, unknown> = {};
  const unbuilt = notImplementedService(Auth) as unknown as Record<string, (req: unknown, ctx: HandlerContext) => Promise<never>>;
  // etcd's Auth RPCs other than Authenticate go through Raft, behind the auth-token hook (auth_token.ts)
  for (const [name, call] of Object.entries(unbuilt)) impl[name] = (req: unknown, ctx: HandlerContext) => authorized(ctx, server, invalidTokenRpc, () => call(req, ctx));
  return {
    ...(impl as ServiceImpl<typeof Auth>),
    authenticate() {
      throw rpcError(rpctypes.AuthNotEnabled);
    },
  };
}
