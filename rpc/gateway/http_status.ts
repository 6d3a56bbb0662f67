// grpc-gateway v1's mapping of gRPC status codes to HTTP statuses (runtime/errors.go HTTPStatusFromCode), and
// Go's net/http status texts for the codes it can produce (used in streamed error chunks' "http_status").
import { Code } from "@connectrpc/connect";

const byCode: Record<Code, number> = {
  [Code.Canceled]: 408,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.Unauthenticated]: 401,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 412,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
};

export function httpStatusFromCode(code: Code): number {
  return byCode[code] ?? 500;
}

const texts: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 408: "Request Timeout",
  409: "Conflict", 412: "Precondition Failed", 429: "Too Many Requests", 500: "Internal Server Error",
  501: "Not Implemented", 503: "Service Unavailable", 504: "Gateway Timeout",
};

export function httpStatusText(status: number): string {
  return texts[status] ?? "";
}
