// How etcdctl words a failed RPC: clientv3 turns etcd's own errors ("etcdserver: …") into their bare
// description, a deadline into "context deadline exceeded", anything else into grpc-go's status text
// "rpc error: code = <Name> desc = <message>". warnLine() is clientv3's retry-interceptor log line that
// etcdctl prints to stderr for every failed unary call.
import { Code, ConnectError } from "@connectrpc/connect";
import { zapTime } from "./gofmt.ts";

const GO_CODE_NAMES = [
  "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
  "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
  "DataLoss", "Unauthenticated",
];

/** A failed RPC as clientv3 reports it: `status` is grpc-go's status text, `message` what etcdctl prints. */
export class RpcError extends Error {
  constructor(
    readonly code: Code,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/** Authentication failed while setting up the client (clientv3.New's error). */
export class AuthError extends RpcError {}

export function goStatus(code: Code, desc: string): string {
  return `rpc error: code = ${GO_CODE_NAMES[code] ?? `Code(${code})`} desc = ${desc}`;
}

export function deadlineError(desc = "context deadline exceeded"): RpcError {
  return new RpcError(Code.DeadlineExceeded, goStatus(Code.DeadlineExceeded, desc), "context deadline exceeded");
}

export function toRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  const ce = ConnectError.from(e);
  const desc = ce.rawMessage;
  const status = goStatus(ce.code, desc);
  if (desc.startsWith("etcdserver: ")) return new RpcError(ce.code, status, desc);
  if (ce.code === Code.DeadlineExceeded) return deadlineError(desc);
  if (ce.code === Code.Canceled) return new RpcError(ce.code, goStatus(ce.code, "context canceled"), "context canceled");
  return new RpcError(ce.code, status, status);
}

/** True for failures to reach the endpoint at all (the call can go to another endpoint or be retried). */
export function isConnectionFailure(e: unknown): boolean {
  const ce = ConnectError.from(e);
  if (ce.rawMessage.startsWith("etcdserver: ")) return false;
  if (ce.code === Code.Unavailable) return true;
  // a failed TLS handshake surfaces as Internal/Unknown; grpc-go keeps retrying the connection instead
  return (ce.code === Code.Internal || ce.code === Code.Unknown) && TRANSPORT_FAILURE.test(ce.rawMessage);
}

/** A connection failure that never reached a TLS handshake (nothing listening). */
export function isRefused(e: unknown): boolean {
  return /ECONNREFUSED|connection refused/i.test(ConnectError.from(e).rawMessage);
}

const TRANSPORT_FAILURE = /SSL|TLS|certificate|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/i;

export function warnLine(target: string, err: RpcError): string {
  return `${JSON.stringify({
    level: "warn",
    ts: zapTime(),
    caller: "clientv3/retry_interceptor.go:62",
    msg: "retrying of unary invoker failed",
    target,
    attempt: 0,
    error: err.status,
  })}\n`;
}
