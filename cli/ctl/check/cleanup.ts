// The end of etcdctl's check commands: delete the prefix (30 s deadline), then with --auto-compact compact
// physically at the delete's revision, and with --auto-defrag defragment every endpoint (util.go's compact
// and defrag, with their progress lines). Any failure is ExitWithError(ExitError, err).
import type { CtlClient } from "../client.ts";
import { CtlError, ExitError, ExitInvalidInput } from "../errors.ts";
import type { Sink } from "../io.ts";
import { prefixEnd } from "../../../engine/bytes/prefix_end.ts";
import { RpcError } from "../grpc_errors.ts";

const DEADLINE_MS = 30_000;

async function orExit<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw new CtlError(ExitError, e instanceof RpcError ? e.message : String(e));
  }
}

export async function cleanUp(client: CtlClient, prefix: string, opts: { compact: boolean; defrag: boolean }, sink: Sink): Promise<void> {
  const key = new TextEncoder().encode(prefix);
  const dresp = await orExit(client.rpc((s, o) => s.kv.deleteRange({ key, rangeEnd: prefixEnd(key) }, o), { timeoutMs: DEADLINE_MS }));
  if (opts.compact) {
    const rev = dresp.header?.revision ?? 0n;
    sink.out(`Compacting with revision ${rev}\n`);
    await orExit(client.rpc((s, o) => s.kv.compact({ revision: rev, physical: true }, o), { timeoutMs: DEADLINE_MS }));
    sink.out(`Compacted with revision ${rev}\n`);
  }
  if (opts.defrag) {
    for (const ep of client.endpoints) {
      sink.out(`Defragmenting ${JSON.stringify(ep)}\n`);
      await orExit(client.rpc((s, o) => s.maintenance.defragment({}, o), { endpoint: ep, timeoutMs: DEADLINE_MS }));
      sink.out(`Defragmented ${JSON.stringify(ep)}\n`);
    }
  }
}

/** Fails with etcdctl's message when the prefix already holds keys (checked with the first client). */
export async function requireEmptyPrefix(client: CtlClient, prefix: string, timeoutMs: number | null): Promise<void> {
  const key = new TextEncoder().encode(prefix);
  const resp = await orExit(client.rpc((s, o) => s.kv.range({ key, rangeEnd: prefixEnd(key), limit: 1n }, o), { timeoutMs }));
  if (resp.kvs.length > 0) {
    throw new CtlError(ExitInvalidInput, `prefix ${JSON.stringify(prefix)} has keys. Delete with etcdctl del --prefix ${prefix} first`);
  }
}
