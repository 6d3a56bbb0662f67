// What etcd's gateway writes back (grpc-gateway v1 runtime): a unary result as one JSON message; a unary error
// as {"error":msg,"message":msg,"code":grpcCode} with the HTTP status of the code (DefaultHTTPError); a stream
// as one {"result":…} line per message and an error as {"error":{"grpc_code","http_code","message",
// "http_status"}} (ForwardResponseStream / streamChunk), whose HTTP status is the error's only when nothing
// was written yet. Every response carries etcd's CORS headers.
import { Code, ConnectError } from "@connectrpc/connect";
import type { HttpExchange } from "../http/exchange.ts";
import { sendText } from "../http/routes.ts";
import { CORS_HEADERS } from "../http/cors.ts";
import { httpStatusFromCode, httpStatusText } from "./http_status.ts";

const JSON_TYPE = "application/json";
const encoder = new TextEncoder();

export function sendJson(ex: HttpExchange, status: number, json: string): void {
  sendText(ex, status, json, JSON_TYPE, CORS_HEADERS);
}

/** The status a failed call reports: ConnectErrors keep code and raw message; anything else is Unknown. */
export function errorStatus(e: unknown): { code: Code; message: string } {
  const ce = ConnectError.from(e, Code.Unknown);
  return { code: ce.code, message: ce.rawMessage };
}

export function sendUnaryError(ex: HttpExchange, e: unknown): void {
  const { code, message } = errorStatus(e);
  sendJson(ex, httpStatusFromCode(code), JSON.stringify({ error: message, message, code }));
}

/** Writes a streamed response: `results` yields each message's JSON; a thrown error ends it with an error chunk. */
export async function sendStream(ex: HttpExchange, results: AsyncIterable<string>): Promise<void> {
  let started = false;
  const start = (status: number) => {
    ex.respond(status, new Headers({ "content-type": JSON_TYPE, ...CORS_HEADERS }));
    started = true;
  };
  try {
    for await (const json of results) {
      if (!started) start(200);
      await ex.write(encoder.encode(`{"result":${json}}\n`));
    }
    if (!started) start(200);
  } catch (e) {
    const { code, message } = errorStatus(e);
    const httpCode = httpStatusFromCode(code);
    if (!started) start(httpCode);
    const chunk = { error: { grpc_code: code, http_code: httpCode, message, http_status: httpStatusText(httpCode) } };
    await ex.write(encoder.encode(JSON.stringify(chunk)));
  }
  ex.end();
}
