// etcd's auth-token hook (auth/store.go AuthInfoFromCtx with the simple token provider), for a server whose
// auth is disabled. A request carries its token in gRPC metadata "token" (the JSON gateway's in its
// "authorization" header). No token: nothing to check, and the call runs at once. A token: etcd looks it up
// among the tokens it issued; with auth disabled it never issued one (Authenticate answers "authentication is
// not enabled"), so every token is invalid. As etcd's isValidSimpleToken, a token of the form "<x>.<index>"
// naming an index not applied yet is answered only once that index is applied or the call is cancelled (its
// deadline): etcd 3.4.23 does exactly this, checked in tests/e2e/auth_token.test.ts.
// Which calls check, and how their error reads (etcd 3.4): KV, LeaseGrant/Revoke, the member changes and the Auth
// service answer Unauthenticated "etcdserver: invalid auth token"; Alarm, Hash, HashKV, Defragment and Snapshot
// pass auth's own error through (Unknown "auth: invalid auth token"); a Watch create is cancelled with that
// status as its reason. Status, MemberList, MoveLeader, LeaseKeepAlive/TimeToLive/Leases and Authenticate
// never look at the token.
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { GrpcHandlerContext } from "../grpc/handler_context.ts";
import { codeName } from "../grpc/call_report.ts";
import { GATEWAY_PROTOCOL } from "../gateway/json_gateway.ts";
import { rpcError, rpctypes } from "../errors.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";

/**
 * The token a call carries, if any: gRPC metadata "token", else "authorization" (gRPC, Connect, gRPC-web); on the
 * JSON gateway only the Authorization header, the one header etcd's grpc-gateway passes on as metadata.
 */
export function tokenOf(ctx: HandlerContext): string | undefined {
  if (ctx instanceof GrpcHandlerContext) return ctx.metadata("token") ?? ctx.metadata("authorization");
  const h = ctx.requestHeader;
  if (ctx.protocolName === GATEWAY_PROTOCOL) return h.get("authorization") ?? undefined;
  return h.get("token") ?? h.get("authorization") ?? undefined;
}

/** etcd's isValidSimpleToken wait: the applied index a "<x>.<index>" token names (Go's strconv.Atoi), if any. */
function tokenIndex(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 2 || !/^[+-]?\d+$/.test(parts[1]!)) return undefined;
  const n = Number(parts[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Settles (always rejecting) once etcd would answer that `token` is invalid: at once, or after the index wait. */
async function rejectToken(token: string, server: EtcdServerApi, signal: AbortSignal, invalid: () => Error, deadlineMs?: number): Promise<never> {
  const index = tokenIndex(token);
  if (index !== undefined) {
    // the call's deadline ends the wait as its context would in etcd; so does the client going away
    const timer = deadlineMs === undefined ? undefined : AbortSignal.timeout(Math.max(0, deadlineMs));
    await server.waitApplied(index, timer === undefined ? signal : AbortSignal.any([signal, timer]));
  }
  throw invalid();
}

/** The KV/Lease/Cluster/Auth form: Unauthenticated "etcdserver: invalid auth token". */
export const invalidTokenRpc = (): Error => rpcError(rpctypes.InvalidAuthToken);
/** The Maintenance form: auth's error unconverted, so Unknown "auth: invalid auth token". */
export const invalidTokenAuth = (): Error => new ConnectError("auth: invalid auth token", Code.Unknown);

/** Runs call() unless the request carries a token, which is refused as etcd refuses it (see the header). */
export function authorized<T>(ctx: HandlerContext, server: EtcdServerApi, invalid: () => Error, call: () => T): T | Promise<never> {
  const token = tokenOf(ctx);
  return token === undefined ? call() : rejectToken(token, server, ctx.signal, invalid, ctx.timeoutMs());
}

/** For a stream's requests (Watch creates): the error a request carrying `token` is refused with, once etcd would. */
export function tokenRefusal(token: string, server: EtcdServerApi, signal: AbortSignal): Promise<Error> {
  return rejectToken(token, server, signal, invalidTokenRpc).catch((e: Error) => e);
}

/** A status error as grpc-go's Error() prints it (etcd puts it in a refused watch's cancel_reason). */
export function grpcErrorString(e: Error): string {
  const code = e instanceof ConnectError ? e.code : Code.Unknown;
  return `rpc error: code = ${codeName(code)} desc = ${e instanceof ConnectError ? e.rawMessage : e.message}`;
}
