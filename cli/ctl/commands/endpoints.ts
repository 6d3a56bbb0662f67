// endpointsFromCluster (ep_command.go): the --endpoints list, or with --cluster every client URL of the
// member list (fetched through a client of the given endpoints).
import type { CommandContext } from "../command.ts";
import type { FlagSpec } from "../flags.ts";
import { CtlError, ExitError } from "../errors.ts";
import { RpcError } from "../grpc_errors.ts";

export const CLUSTER_FLAG: FlagSpec = { name: "cluster", kind: "bool", def: "false", usage: "use all endpoints from the cluster member list" };

export async function endpointsFromCluster(ctx: CommandContext): Promise<string[]> {
  if (!ctx.flags.bool("cluster")) return ctx.config().endpoints;
  const cli = ctx.newClient(ctx.config().endpoints);
  try {
    const membs = await cli.rpc((s, o) => s.cluster.memberList({}, o));
    return membs.members.flatMap((m) => m.clientURLs);
  } catch (e) {
    if (e instanceof RpcError) throw new CtlError(ExitError, `failed to fetch endpoints from etcd cluster member list: ${e.message}`);
    throw e;
  }
}
