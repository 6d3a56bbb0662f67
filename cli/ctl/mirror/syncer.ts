// clientv3/mirror's Syncer: syncBase() reads the prefix (or the whole keyspace when the prefix is empty,
// from "\x00") at one revision — the revision of a Get("foo") unless given — in pages of 1000 keys;
// syncUpdates() then watches the prefix from that revision + 1, so no change is missed or repeated.
// Invariant: syncUpdates() only after syncBase() fixed the revision.
import type { KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { WatchResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { CtlClient } from "../client.ts";
import { prefixEnd } from "../../../engine/bytes/prefix_end.ts";
import { bytes } from "../concurrency/ops.ts";
import { watchResponses } from "../concurrency/watch.ts";

const BATCH_LIMIT = 1000n;
const ALL_KEYS_END = new Uint8Array([0]);

export class Syncer {
  private readonly pfx: Uint8Array;

  constructor(
    private readonly c: CtlClient,
    prefix: string,
    private rev = 0n,
  ) {
    this.pfx = bytes(prefix);
  }

  /** Fixes the revision (a Get of "foo", as clientv3 does) when none was given. */
  async baseRevision(): Promise<bigint> {
    if (this.rev === 0n) {
      const resp = await this.c.rpc((s, o) => s.kv.range({ key: bytes("foo") }, o), { timeoutMs: null });
      this.rev = resp.header?.revision ?? 0n;
    }
    return this.rev;
  }

  /** The key-values at the base revision, page by page. */
  async *syncBase(): AsyncGenerator<KeyValue[]> {
    const revision = await this.baseRevision();
    const whole = this.pfx.length === 0;
    let key = whole ? new Uint8Array([0]) : this.pfx;
    const rangeEnd = whole ? ALL_KEYS_END : prefixEnd(this.pfx);
    for (;;) {
      const resp = await this.c.rpc((s, o) => s.kv.range({ key, rangeEnd, limit: BATCH_LIMIT, revision }, o), { timeoutMs: null });
      yield resp.kvs;
      if (!resp.more) return;
      const last = resp.kvs[resp.kvs.length - 1]!.key;
      key = new Uint8Array(last.length + 1);
      key.set(last);
    }
  }

  syncUpdates(signal: AbortSignal): AsyncGenerator<WatchResponse> {
    if (this.rev === 0n) throw new Error("unexpected revision = 0. Calling SyncUpdates before SyncBase finishes?");
    const rangeEnd = this.pfx.length === 0 ? ALL_KEYS_END : prefixEnd(this.pfx);
    const key = this.pfx.length === 0 ? new Uint8Array([0]) : this.pfx;
    return watchResponses(this.c, { key, rangeEnd, startRevision: this.rev + 1n }, signal);
  }
}
