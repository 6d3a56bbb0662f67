// etcdctl move-leader (move_leader_command.go): find the leader among --endpoints by asking each endpoint's
// status, then ask the leader to transfer leadership to the target member (hex id).
import { type CtlCommand, must } from "../command.ts";
import { CtlError, ExitBadArgs } from "../errors.ts";
import { goParseInt } from "../go_parse.ts";

export const moveLeaderCommand: CtlCommand = {
  path: ["move-leader"],
  use: "move-leader <transferee-member-id>",
  short: "Transfers leadership to another etcd cluster member.",
  async run(ctx) {
    if (ctx.args.length !== 1) throw new CtlError(ExitBadArgs, "move-leader command needs 1 argument");
    let target: bigint;
    try {
      target = goParseInt(ctx.args[0]!, 16, true);
    } catch (e) {
      throw new CtlError(ExitBadArgs, (e as Error).message);
    }
    const eps = ctx.config().endpoints;
    let leaderEp: string | undefined;
    let leaderId = 0n;
    for (const ep of eps) {
      const resp = await must(ctx.newClient([ep]).rpc((s, o) => s.maintenance.status({}, o), { endpoint: ep }));
      if (resp.header?.memberId === resp.leader) {
        leaderEp = ep;
        leaderId = resp.leader;
        break;
      }
    }
    if (!leaderEp) throw new CtlError(ExitBadArgs, `no leader endpoint given at [${eps.join(" ")}]`);
    const resp = await must(ctx.newClient([leaderEp]).rpc((s, o) => s.maintenance.moveLeader({ targetID: target }, o)));
    ctx.display.moveLeader(leaderId, target, resp);
  },
};
