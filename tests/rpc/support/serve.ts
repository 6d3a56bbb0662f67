// Starts an RpcServer on a free loopback port for a test; the test must call close().
import { RpcServer, type RpcServerOptions } from "../../../rpc/server/rpc_server.ts";

export interface TestServer {
  server: RpcServer;
  /** "http://127.0.0.1:PORT" */
  origin: string;
  close(): Promise<void>;
}

export async function serve(register: (s: RpcServer) => void, opts: RpcServerOptions = {}): Promise<TestServer> {
  const server = new RpcServer({ closeGraceMs: 200, ...opts });
  register(server);
  const url = await server.listen("http://127.0.0.1:0");
  return { server, origin: url.origin, close: () => server.close() };
}
