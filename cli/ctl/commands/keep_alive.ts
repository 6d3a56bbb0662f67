// clientv3's lease keep-alive loop for `lease keep-alive`: one LeaseKeepAlive stream, a request every TTL/3,
// each response yielded; it ends when the server reports TTL <= 0 (expired or revoked). With `once`, a single
// round trip, and a TTL <= 0 answer is clientv3's ErrLeaseNotFound (exit 2).
import type { LeaseKeepAliveResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { CtlClient } from "../client.ts";
import { CtlError, ExitBadConnection } from "../errors.ts";
import { toRpcError } from "../grpc_errors.ts";
import { Pushable } from "./pushable.ts";

export async function* keepAliveStream(cli: CtlClient, id: bigint, once: boolean): AsyncGenerator<LeaseKeepAliveResponse> {
  const ep = cli.endpoints[0]!;
  const requests = new Pushable<{ ID: bigint }>();
  const abort = new AbortController();
  requests.push({ ID: id });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const stream = cli.services(ep).lease.leaseKeepAlive(requests, await cli.callOptions(ep, { signal: abort.signal }));
    for await (const resp of stream) {
      if (resp.TTL <= 0n) {
        if (once) throw new CtlError(ExitBadConnection, "etcdserver: requested lease not found");
        return;
      }
      yield resp;
      if (once) return;
      const next = Math.max(500, (Number(resp.TTL) * 1000) / 3);
      timer = setTimeout(() => requests.push({ ID: id }), next);
    }
  } catch (e) {
    if (e instanceof CtlError) throw e;
    throw new CtlError(ExitBadConnection, toRpcError(e).message);
  } finally {
    if (timer) clearTimeout(timer);
    requests.end();
    abort.abort();
  }
}
