// The common frame of etcdctl's check commands: the load model from --load, N clients, the empty-prefix
// precondition, and the shared ending (delete the prefix, optional compact/defrag, the error lines).
import type { CtlClient } from "../client.ts";
import type { CommandContext } from "../command.ts";
import { cleanUp, requireEmptyPrefix } from "./cleanup.ts";
import type { Stats } from "./report.ts";
import { loadModel, newClients } from "./workload.ts";

export interface CheckSetup<M> {
  cfg: M;
  prefix: string;
  clients: CtlClient[];
  line(l: string): void;
  /** Deletes the prefix, then --auto-compact / --auto-defrag. */
  cleanUp(): Promise<void>;
  /** Prints "FAIL: too many errors" and one line per error; true when there were errors. */
  printErrors(s: Stats): boolean;
}

export async function setUpCheck<M extends { clients: number }>(
  ctx: CommandContext,
  models: Record<string, M>,
  emptyCheckMs: (m: M) => number | null,
): Promise<CheckSetup<M>> {
  const cfg = models[loadModel(ctx.flags.str("load"))]!;
  const prefix = ctx.flags.str("prefix");
  const clients = newClients(ctx, cfg.clients);
  await requireEmptyPrefix(clients[0]!, prefix, emptyCheckMs(cfg));
  const line = (l: string) => ctx.sink.out(`${l}\n`);
  return {
    cfg,
    prefix,
    clients,
    line,
    cleanUp: () => cleanUp(clients[0]!, prefix, { compact: ctx.flags.bool("auto-compact"), defrag: ctx.flags.bool("auto-defrag") }, ctx.sink),
    printErrors(s) {
      if (s.errorDist.size === 0) return false;
      line("FAIL: too many errors");
      for (const [k, v] of s.errorDist) line(`FAIL: ERROR(${k}) -> ${v}`);
      return true;
    },
  };
}
