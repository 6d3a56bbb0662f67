// clientv3's Watch for the recipes and make-mirror: the responses of one watcher (key or range, from a start
// revision) on its own Watch stream, as an async generator. The server's `created` notice is not yielded
// (clientv3 hides it); a watch the server cancels for compaction fails with ErrCompacted's text; a broken
// stream is reopened from the revision after the last one delivered (clientv3 resumes watchers the same way).
// Invariants: aborting the signal (or leaving the loop) ends the generator without an error; responses come
// in server order; a response carries its header and events as the server sent them.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { WatchRequestSchema, WatchResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { Channel } from "../../../rpc/client/channel.ts";
import type { CtlClient } from "../client.ts";
import { isConnectionFailure, toRpcError } from "../grpc_errors.ts";

export const ERR_COMPACTED = "etcdserver: mvcc: required revision has been compacted";
const RECONNECT_PAUSE_MS = 500;

export interface WatchSpec {
  key: Uint8Array;
  /** empty: the key alone */
  rangeEnd?: Uint8Array;
  /** 0: from the current revision */
  startRevision: bigint;
}

export class WatchError extends Error {}

export async function* watchResponses(client: CtlClient, spec: WatchSpec, signal: AbortSignal): AsyncGenerator<WatchResponse> {
  let next = spec.startRevision;
  while (!signal.aborted) {
    const abort = new AbortController();
    const stop = () => abort.abort();
    signal.addEventListener("abort", stop, { once: true });
    const requests = new Channel<MessageInitShape<typeof WatchRequestSchema>>();
    requests.push({
      requestUnion: { case: "createRequest", value: { key: spec.key, rangeEnd: spec.rangeEnd ?? new Uint8Array(), startRevision: next } },
    });
    try {
      const ep = await client.pickEndpoint(null);
      const opts = await client.callOptions(ep, { signal: abort.signal });
      const stream = client.services(ep).watch.watch(requests, opts);
      for await (const r of stream) {
        if (r.canceled) throw new WatchError(r.compactRevision > 0n ? ERR_COMPACTED : r.cancelReason || "etcdserver: watch canceled");
        if (r.created && r.events.length === 0) {
          if (next === 0n) next = (r.header?.revision ?? 0n) + 1n;
          continue;
        }
        if (r.events.length > 0) next = r.events[r.events.length - 1]!.kv!.modRevision + 1n;
        yield r;
      }
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof WatchError || !isConnectionFailure(e)) throw e instanceof WatchError ? e : toRpcError(e);
    } finally {
      signal.removeEventListener("abort", stop);
      requests.close();
      abort.abort();
    }
    await Bun.sleep(RECONNECT_PAUSE_MS);
  }
}
