// The server benchmark's snapshot rows: each server is first filled with the same keys (load/snapshot_fill.ts:
// N × 256-byte values, Txns of 100 puts), then Maintenance.Snapshot is saved to a file per round
// (load/snapshot_save.ts: written as it streams, fsync'ed, like `etcdctl snapshot save`): MB/s and seconds.
// The two backends' files differ in size (their page layouts differ), so MB/s and seconds can differ in ratio.
// Options: --snapshot-keys=N (100000; --quick 20000).
import { join } from "node:path";
import { runGenerator } from "../load/run.ts";
import { fmt } from "../table.ts";
import { type Common, type Group, NAMES, opt } from "./compare.ts";

export function snapshotGroup(o: Common): Group {
  const keys = opt(o.args, "snapshot-keys", o.quick ? 20_000 : 100_000);
  const fill = new Map<string, number>();
  return {
    name: "snapshot",
    setup: `${fmt(keys)} keys × 256-byte values, Maintenance.Snapshot streamed to a file and fsync'ed`,
    cases: ["save"],
    async prepare(ctx) {
      const r = await runGenerator<{ seconds: number }>("snapshot_fill.ts", [ctx.endpoint, keys], ctx.pinCpu);
      fill.set(ctx.name, r.seconds);
    },
    async measure(ctx) {
      const r = await runGenerator<{ bytes: number; seconds: number; cpu: number }>("snapshot_save.ts", [ctx.endpoint, join(ctx.scratch, "snapshot.db")], ctx.pinCpu);
      return { mbps: r.bytes / 1e6 / r.seconds, seconds: r.seconds, mb: r.bytes / 1e6, cpu: r.cpu };
    },
    rows: [
      { label: "snapshot save (MB/s)", of: "save", figure: "mbps", better: "higher", digits: 1, cpu: "cpu" },
      { label: "snapshot save (s)", of: "save", figure: "seconds", better: "lower", digits: 3, cpu: "cpu" },
    ],
    notes: (res) => [
      `\nsnapshot size: ${NAMES.map((n) => `${n} ${fmt(res.median(n, "save", "mb") ?? NaN, 1)} MB`).join(", ")}; ` +
        `fill (not part of the rows): ${NAMES.map((n) => `${n} ${fmt(fill.get(n) ?? NaN, 1)} s`).join(", ")}`,
    ],
  };
}
