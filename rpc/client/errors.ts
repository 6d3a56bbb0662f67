// EtcdError: the one error type the library API throws for a refused request, embedded or remote alike.
// `code` is the gRPC status name ("OutOfRange", "NotFound", …) and `message` etcd's own text
// ("etcdserver: mvcc: required revision has been compacted"), which clients match on.
// Invariant: toEtcdError() passes through errors that are not RPC statuses (TypeErrors from bad arguments).
import { Code, ConnectError } from "@connectrpc/connect";

/** gRPC status names, as etcd's clients report them. */
export type EtcdErrorCode = keyof typeof Code;

export class EtcdError extends Error {
  override readonly name = "EtcdError";
  constructor(
    /** The gRPC status name. */
    readonly code: EtcdErrorCode,
    message: string,
    /** For a watch whose start revision was compacted: the compact revision (watch again from it). */
    readonly compactRevision?: number,
  ) {
    super(message);
  }
}

/** ConnectError → EtcdError (the bare etcd message, without Connect's "[code]" prefix); anything else unchanged. */
export function toEtcdError(e: unknown): unknown {
  if (e instanceof EtcdError || !(e instanceof ConnectError)) return e;
  return new EtcdError(Code[e.code] as EtcdErrorCode, e.rawMessage);
}

/** Awaits p, rethrowing RPC failures as EtcdError. */
export async function etcdCall<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw toEtcdError(e);
  }
}

/** etcd's Unavailable statuses (connection lost, server restarting, no leader): worth another try later. */
export const isTransient = (e: unknown) => e instanceof EtcdError && e.code === "Unavailable";

export const leaseNotFound = () => new EtcdError("NotFound", "etcdserver: requested lease not found");
