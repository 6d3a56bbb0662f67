// etcdctl endpoint health|status|hashkv (ep_command.go): each endpoint on its own. health = a linearized
// Get("health") per endpoint in parallel (results in completion order, "took" as Go prints a duration);
// status/hashkv ask each endpoint's Maintenance service, reporting failures on stderr and exiting 1.
import { Code } from "@connectrpc/connect";
import type { CtlCommand } from "../command.ts";
import { CtlError, ExitCode, ExitError } from "../errors.ts";
import { goDuration } from "../gofmt.ts";
import { RpcError } from "../grpc_errors.ts";
import type { EpHashKV, EpHealth, EpStatus } from "../printer/types.ts";
import { CLUSTER_FLAG, endpointsFromCluster } from "./endpoints.ts";

export const endpointHealthCommand: CtlCommand = {
  path: ["endpoint", "health"],
  use: "health",
  short: "Checks the healthiness of endpoints specified in `--endpoints` flag",
  flags: [CLUSTER_FLAG],
  async run(ctx) {
    const display = ctx.display;
    const eps = await endpointsFromCluster(ctx);
    const results: EpHealth[] = [];
    await Promise.all(
      eps.map(async (ep) => {
        const cli = ctx.newClient([ep]);
        const st = performance.now();
        let error = "";
        try {
          await cli.rpc((s, o) => s.kv.range({ key: new TextEncoder().encode("health") }, o));
        } catch (e) {
          if (!(e instanceof RpcError)) throw e;
          if (e.code !== Code.PermissionDenied) error = e.message;
        }
        results.push({ ep, health: error === "", took: goDuration(performance.now() - st), error });
      }),
    );
    display.endpointHealth(results);
    if (results.some((h) => h.error !== "")) throw new CtlError(ExitError, "unhealthy cluster");
  },
};

export const endpointStatusCommand: CtlCommand = {
  path: ["endpoint", "status"],
  use: "status",
  short: "Prints out the status of endpoints specified in `--endpoints` flag",
  long: `When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.
`,
  flags: [CLUSTER_FLAG],
  async run(ctx) {
    const cli = ctx.client();
    const list: EpStatus[] = [];
    let failed = false;
    for (const ep of await endpointsFromCluster(ctx)) {
      try {
        list.push({ ep, resp: await cli.rpc((s, o) => s.maintenance.status({}, o), { endpoint: ep }) });
      } catch (e) {
        if (!(e instanceof RpcError)) throw e;
        failed = true;
        ctx.sink.err(`Failed to get the status of endpoint ${ep} (${e.message})\n`);
      }
    }
    ctx.display.endpointStatus(list);
    if (failed) throw new ExitCode(ExitError);
  },
};

export const endpointHashKVCommand: CtlCommand = {
  path: ["endpoint", "hashkv"],
  use: "hashkv",
  short: "Prints the KV history hash for each endpoint in --endpoints",
  flags: [CLUSTER_FLAG, { name: "rev", kind: "int", def: "0", usage: "maximum revision to hash (default: all revisions)" }],
  async run(ctx) {
    const cli = ctx.client();
    const revision = ctx.flags.int("rev");
    const list: EpHashKV[] = [];
    let last: RpcError | undefined;
    for (const ep of await endpointsFromCluster(ctx)) {
      try {
        list.push({ ep, resp: await cli.rpc((s, o) => s.maintenance.hashKV({ revision }, o), { endpoint: ep }) });
      } catch (e) {
        if (!(e instanceof RpcError)) throw e;
        last = e;
        ctx.sink.err(`Failed to get the hash of endpoint ${ep} (${e.message})\n`);
      }
    }
    ctx.display.endpointHashKV(list);
    if (last) throw new CtlError(ExitError, last.message);
  },
};
