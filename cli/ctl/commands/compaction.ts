// etcdctl compaction (compaction_command.go).
import { type CtlCommand, must } from "../command.ts";
import { CtlError, ExitBadArgs, ExitError } from "../errors.ts";
import { goParseInt } from "../go_parse.ts";

export const compactionCommand: CtlCommand = {
  path: ["compaction"],
  use: "compaction [options] <revision>",
  short: "Compacts the event history in etcd",
  flags: [{ name: "physical", kind: "bool", def: "false", usage: "'true' to wait for compaction to physically remove all old revisions" }],
  async run(ctx) {
    if (ctx.args.length !== 1) throw new CtlError(ExitBadArgs, "compaction command needs 1 argument");
    let rev: bigint;
    try {
      rev = goParseInt(ctx.args[0]!, 10);
    } catch (e) {
      throw new CtlError(ExitError, (e as Error).message);
    }
    const physical = ctx.flags.bool("physical");
    await must(ctx.client().rpc((s, o) => s.kv.compact({ revision: rev, physical }, o)));
    ctx.sink.out(`compacted revision ${rev}\n`);
  },
};
