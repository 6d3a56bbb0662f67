// etcd's Auth service while auth is disabled (bunetcd cannot enable it yet: AuthEnable is not built).
// Authenticate answers what etcd 3.4 answers then (auth/store.go Authenticate: ErrAuthNotEnabled →
// "etcdserver: authentication is not enabled", FailedPrecondition). Every other Auth RPC reads or changes the
// auth store, which is not built yet, and answers Unimplemented.
import type { ServiceImpl } from "@connectrpc/connect";
import { rpcError, rpctypes } from "../errors.ts";
import { Auth } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { notImplementedService } from "./not_implemented.ts";

export function authService(): ServiceImpl<typeof Auth> {
  return {
    ...notImplementedService(Auth),
    authenticate() {
      throw rpcError(rpctypes.AuthNotEnabled);
    },
  };
}
