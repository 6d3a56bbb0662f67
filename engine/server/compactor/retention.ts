// --auto-compaction-mode / --auto-compaction-retention as etcd 3.4 reads them (embed/etcd.go
// parseCompactionRetention, v3compactor.New): a bare non-negative integer is hours in periodic mode and a
// revision count in revision mode; anything else must be a Go duration ("30m", "1h30m", "1s"), used as the
// period — or, in revision mode, as its count of nanoseconds, as etcd does. 0 disables auto-compaction.
import { parseDuration } from "../../../cli/server/parse_flags.ts";

export type AutoCompaction = { mode: "periodic"; periodMs: number } | { mode: "revision"; retention: number };

const HOUR_MS = 3_600_000;

/** etcd's error text for a bad retention or mode (etcd exits with it at start-up). */
export class RetentionError extends Error {}

/** The compactor to run, or null when the retention is 0 (disabled). */
export function parseAutoCompaction(mode: string, retention: string): AutoCompaction | null {
  let periodMs: number;
  let count: number;
  if (/^[+-]?\d+$/.test(retention) && Number(retention) >= 0) {
    const h = Number(retention);
    periodMs = mode === "periodic" ? h * HOUR_MS : 0;
    count = mode === "revision" ? h : 0;
  } else {
    const ms = parseDuration(retention);
    if (ms === null) {
      const why = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(retention) ? "missing unit in duration" : "invalid duration";
      throw new RetentionError(`error parsing CompactionRetention: time: ${why} ${JSON.stringify(retention)}`);
    }
    periodMs = ms;
    count = Math.round(ms * 1e6);
  }
  if (periodMs === 0 && count === 0) return null;
  if (mode === "periodic") return { mode, periodMs };
  if (mode === "revision") return { mode, retention: count };
  throw new RetentionError(`unsupported compaction mode ${mode}`);
}
