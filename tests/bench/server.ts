// Server benchmark: bunetcd against a real etcd 3.4, both started fresh on loopback for each row group and driven in
// the same run by the same client code, our own gRPC load generators over node:http2 in a separate process
// (tests/bench/load/). Rounds alternate between the servers; each figure is the median of the rounds, and each
// ratio is oriented so that > 1 means bunetcd is better (bunetcd / etcd for rates, etcd / bunetcd for ms and s).
// Row groups (tests/bench/server/), all by default, or name some: `bun run bench server watch lease`:
//   kv        put / range-l / range-s / txn-put ops/s (N connections × M streams), put p50/p99, generator ceiling
//   watch     watch fan-out: 1,000 watchers of one key, events delivered/s and event latency
//   lease     lease keep-alives/s over LeaseKeepAlive streams
//   snapshot  Maintenance.Snapshot of a filled backend (100k × 256-byte values) saved to a file: MB/s and s
// Common options: --rounds=N (3), --quick (1 round, shorter runs, smaller sizes), --pin (server on CPU 0,
// generator on CPU 1), --no-fsync (--unsafe-no-fsync on both). Per-group options are in each group's file.
import { type Common, compare, type Group, opt } from "./server/compare.ts";
import { kvGroup } from "./server/kv.ts";
import { leaseGroup } from "./server/lease.ts";
import { snapshotGroup } from "./server/snapshot.ts";
import { watchGroup } from "./server/watch.ts";
import { canPin } from "./load/run.ts";

const GROUPS: Record<string, (o: Common) => Group> = { kv: kvGroup, watch: watchGroup, lease: leaseGroup, snapshot: snapshotGroup };
export const ROWS = Object.keys(GROUPS);

export default async function (args: string[], rows: string[] = []): Promise<void> {
  const quick = args.includes("--quick");
  const common: Common = {
    args,
    quick,
    rounds: opt(args, "rounds", quick ? 1 : 3),
    pinned: args.includes("--pin") && canPin,
    flags: args.includes("--no-fsync") ? ["--unsafe-no-fsync"] : [],
  };
  console.log("Same machine, same run; generators in their own process. Ratio > 1 = bunetcd better.\n");
  for (const name of rows.length ? rows : ROWS) await compare(GROUPS[name](common), common);
}
