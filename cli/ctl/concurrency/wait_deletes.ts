// clientv3/concurrency's key.go: waitDeletes waits until no key under a prefix was created at or before a
// revision, by repeatedly taking the newest such key and watching it (from the Get's revision) for its
// deletion. Returns the header of the final, empty Get (its revision is when the wait ended).
import type { ResponseHeader } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { Event_EventType } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { CtlClient } from "../client.ts";
import { ContextCanceled, raceAbort } from "./cancel.ts";
import { lastCreateUpTo } from "./ops.ts";
import { watchResponses } from "./watch.ts";

async function waitDelete(client: CtlClient, key: Uint8Array, rev: bigint, signal: AbortSignal): Promise<void> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const wr of watchResponses(client, { key, startRevision: rev }, abort.signal)) {
      if (wr.events.some((ev) => ev.type === Event_EventType.DELETE)) return;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    abort.abort();
  }
  if (signal.aborted) throw new ContextCanceled();
  throw new Error("lost watcher waiting for delete");
}

export async function waitDeletes(client: CtlClient, pfx: string, maxCreateRev: bigint, signal: AbortSignal): Promise<ResponseHeader | undefined> {
  for (;;) {
    const resp = await raceAbort(client.rpc((s, o) => s.kv.range(lastCreateUpTo(pfx, maxCreateRev), o), { timeoutMs: null }), signal);
    if (resp.kvs.length === 0) return resp.header;
    await waitDelete(client, resp.kvs[0]!.key, resp.header?.revision ?? 0n, signal);
  }
}
