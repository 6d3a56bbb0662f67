// One report per finished RPC, on every protocol: the hook behind etcd's gRPC interceptors (go-grpc-prometheus's
// grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code} and debug request logging). Labels use
// go-grpc-prometheus's names: grpc_type "unary" / "client_stream" / "server_stream" / "bidi_stream", and codes as
// grpc-go's codes.Code.String() prints them ("OK", "InvalidArgument", ...; an unknown number is "Code(N)").
// Per-method labels (CallLabel) are built once at registration, so the gRPC fast path allocates only the report.
import type { DescMethod } from "@bufbuild/protobuf";

export type CallType = "unary" | "client_stream" | "server_stream" | "bidi_stream";
export type CallProtocol = "grpc" | "connect" | "grpc-web";

/** What is known about a call before it runs. */
export interface CallLabel {
  /** Fully-qualified service name, e.g. "etcdserverpb.KV". */
  readonly service: string;
  /** Method name as in the .proto, e.g. "Put". */
  readonly method: string;
  readonly type: CallType;
}

export interface CallInfo extends CallLabel {
  /** The method's label object itself: the same object for every call of the method (a cache key). */
  label: CallLabel;
  /** gRPC status code name as grpc-go prints it: "OK", "InvalidArgument", "Unimplemented", ... */
  code: string;
  /** From the request's arrival to the end of the response (gRPC: to the call's final status being sent). */
  seconds: number;
  protocol: CallProtocol;
}

/** Called exactly once per finished call; must not throw (a throw is passed to onInternalError and ignored). */
export type OnCallDone = (info: CallInfo) => void;

/** grpc-go's codes.Code.String(), indexed by code number. */
const CODE_NAMES = [
  "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
  "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
  "DataLoss", "Unauthenticated",
] as const;
const KNOWN_NAMES = new Set<string>(CODE_NAMES);

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? `Code(${code})`;
}

/** The grpc-go name of a Connect protocol code string ("invalid_argument" → "InvalidArgument"); else "Unknown". */
export function codeNameFromConnect(code: unknown): string {
  if (typeof code !== "string") return "Unknown";
  const name = code.replace(/(?:^|_)([a-z])/g, (_, c: string) => c.toUpperCase());
  return KNOWN_NAMES.has(name) ? name : "Unknown";
}

const CALL_TYPES: Record<DescMethod["methodKind"], CallType> = {
  unary: "unary",
  server_streaming: "server_stream",
  client_streaming: "client_stream",
  bidi_streaming: "bidi_stream",
};

export function callLabel(method: DescMethod): CallLabel {
  return { service: method.parent.typeName, method: method.name, type: CALL_TYPES[method.methodKind] };
}

/** The label of a request path that names no registered method ("/pkg.Service/Method"; otherwise service ""
 *  and the whole path as method). Its type is unknowable and reported as "unary". */
export function unknownMethodLabel(path: string): CallLabel {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? { service: m[1], method: m[2], type: "unary" } : { service: "", method: path, type: "unary" };
}

/** Calls the hook; a throwing hook is a bug of the caller, reported and never allowed to break the call. */
export function reportCall(
  onCallDone: OnCallDone,
  label: CallLabel,
  code: string,
  startedAt: number,
  protocol: CallProtocol,
  onInternalError?: (err: unknown) => void,
): void {
  try {
    onCallDone({ label, service: label.service, method: label.method, type: label.type, code, seconds: (performance.now() - startedAt) / 1000, protocol });
  } catch (e) {
    onInternalError?.(e);
  }
}
