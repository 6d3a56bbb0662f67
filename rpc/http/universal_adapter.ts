// Runs an @connectrpc/connect UniversalHandler (Connect protocol or gRPC-web, from createConnectRouter) on an
// HttpExchange: request headers/body/signal in, status/headers/body out with backpressure. Neither protocol uses
// HTTP trailers (gRPC-web carries them in the body, Connect in headers or the end-stream message), so a
// universal response's `trailer` is not expected here; gRPC itself is served by rpc/grpc/, never by this adapter.
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import type { HttpExchange } from "./exchange.ts";

export async function serveUniversal(handler: UniversalHandler, ex: HttpExchange): Promise<void> {
  const req: UniversalServerRequest = {
    httpVersion: ex.httpVersion === "2" ? "2.0" : "1.1",
    url: `http://${ex.authority}${ex.path}`,
    method: ex.method,
    header: ex.header,
    body: ex.body,
    signal: ex.signal,
  };
  const res = await handler(req);
  ex.respond(res.status, res.header);
  if (res.body) {
    for await (const chunk of res.body) {
      if (ex.signal.aborted) break;
      await ex.write(chunk);
    }
  }
  ex.end();
}
