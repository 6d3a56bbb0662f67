// etcdctl del (del_command.go).
import { type CtlCommand, must } from "../command.ts";
import { DEL_FLAGS, delOp } from "./kv_ops.ts";

export const delCommand: CtlCommand = {
  path: ["del"],
  use: "del [options] <key> [range_end]",
  short: "Removes the specified key or range of keys [key, range_end)",
  flags: DEL_FLAGS,
  async run(ctx) {
    const req = delOp(ctx.args, ctx.flags);
    const resp = await must(ctx.client().rpc((s, o) => s.kv.deleteRange(req, o)));
    ctx.display.del(resp);
  },
};
