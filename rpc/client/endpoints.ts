// One Transport over the endpoints of connect(): calls go to the current endpoint; after a call could not
// reach it (gRPC Unavailable from the connection, not etcd's own "etcdserver: …" answers) the next calls go
// to the next endpoint. A call whose connection was refused never left this process, so it is tried again
// (next endpoint, short backoff, a few times): that also covers the moment a restarted server is back but a
// connection attempt begun before it was refused. Other failed calls are not retried: they may have been applied.
import { Code, ConnectError, type Transport } from "@connectrpc/connect";

const RETRY_DELAYS_MS = [20, 100, 250];

/** Failed to reach the endpoint (not one of etcd's Unavailable answers such as "no leader"). */
function unreachable(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.Unavailable && !e.rawMessage.startsWith("etcdserver:");
}

/** The connection was refused: the request was never sent. */
function neverSent(e: unknown): boolean {
  return unreachable(e) && (e as ConnectError).cause instanceof Error && ((e as ConnectError).cause as NodeJS.ErrnoException).code === "ECONNREFUSED";
}

export function endpointsTransport(transports: Transport[]): Transport {
  let current = 0;
  const via = async <T>(call: (t: Transport) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const used = current;
      try {
        return await call(transports[used]!);
      } catch (e) {
        if (unreachable(e) && current === used) current = (used + 1) % transports.length;
        if (!neverSent(e) || attempt >= RETRY_DELAYS_MS.length) throw e;
      }
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
  };
  return {
    unary: (...args) => via((t) => t.unary(...args)),
    stream: (...args) => via((t) => t.stream(...args)),
  };
}
