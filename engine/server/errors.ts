// Maps errors of the engine (MVCC store, Raft) to etcd's client-facing errors (rpc/errors.ts: exact
// message and gRPC code), as etcd's v3rpc togRPCError does. Unknown errors pass through unchanged.
import { ConnectError } from "@connectrpc/connect";
import { rpcError, rpctypes } from "../../rpc/errors.ts";
import { LeaseExistsError, LeaseNotFoundError, LeaseTTLTooLargeError } from "../lease/lessor.ts";
import { CompactedError, FutureRevisionError, RequestError } from "../mvcc/errors.ts";

export function toRpcError(e: unknown): unknown {
  if (e instanceof ConnectError) return e;
  if (e instanceof CompactedError) return rpcError(rpctypes.Compacted);
  if (e instanceof LeaseNotFoundError) return rpcError(rpctypes.LeaseNotFound);
  if (e instanceof LeaseExistsError) return rpcError(rpctypes.LeaseExist);
  if (e instanceof LeaseTTLTooLargeError) return rpcError(rpctypes.LeaseTTLTooLarge);
  if (e instanceof FutureRevisionError) return rpcError(rpctypes.FutureRev);
  if (e instanceof RequestError) {
    if (e.message === "lease not found") return rpcError(rpctypes.LeaseNotFound);
    const known = Object.values(rpctypes).find((t) => t.message === e.message);
    if (known) return rpcError(known);
  }
  return e;
}
