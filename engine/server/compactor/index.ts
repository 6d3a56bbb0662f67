// The auto-compactor for a parsed --auto-compaction-mode/--auto-compaction-retention (etcd's v3compactor.New).
import type { Compactor, CompactorDeps } from "./compactor.ts";
import { Periodic } from "./periodic.ts";
import type { AutoCompaction } from "./retention.ts";
import { Revision } from "./revision.ts";

export type { Clock, Compactor, CompactorDeps } from "./compactor.ts";
export { type AutoCompaction, parseAutoCompaction, RetentionError } from "./retention.ts";

export function newCompactor(cfg: AutoCompaction, deps: CompactorDeps): Compactor {
  return cfg.mode === "periodic" ? new Periodic(cfg.periodMs, deps) : new Revision(cfg.retention, deps);
}
