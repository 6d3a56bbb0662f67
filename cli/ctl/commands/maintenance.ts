// etcdctl alarm list|disarm (alarm_command.go), defrag (defrag_command.go) and version (version_command.go).
import { create } from "@bufbuild/protobuf";
import { AlarmRequest_AlarmAction, AlarmResponseSchema, AlarmType } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type CtlCommand, must } from "../command.ts";
import { CtlError, ExitBadArgs, ExitCode, ExitError } from "../errors.ts";
import { RpcError } from "../grpc_errors.ts";
import { defragDataDir } from "./defrag_offline.ts";
import { CLUSTER_FLAG, endpointsFromCluster } from "./endpoints.ts";

export const alarmListCommand: CtlCommand = {
  path: ["alarm", "list"],
  use: "list",
  short: "Lists all alarms",
  async run(ctx) {
    if (ctx.args.length !== 0) throw new CtlError(ExitBadArgs, "alarm list command accepts no arguments");
    const resp = await must(ctx.client().rpc((s, o) => s.maintenance.alarm({ action: AlarmRequest_AlarmAction.GET }, o)));
    ctx.display.alarm(resp);
  },
};

export const alarmDisarmCommand: CtlCommand = {
  path: ["alarm", "disarm"],
  use: "disarm",
  short: "Disarms all alarms",
  async run(ctx) {
    if (ctx.args.length !== 0) throw new CtlError(ExitBadArgs, "alarm disarm command accepts no arguments");
    const cli = ctx.client();
    // clientv3 AlarmDisarm with no member and no alarm: list, then disarm each, collecting the answers
    const resp = await must(
      (async () => {
        const list = await cli.rpc((s, o) => s.maintenance.alarm({ action: AlarmRequest_AlarmAction.GET }, o));
        const out = create(AlarmResponseSchema);
        for (const a of list.alarms) {
          const r = await cli.rpc((s, o) =>
            s.maintenance.alarm({ action: AlarmRequest_AlarmAction.DEACTIVATE, memberID: a.memberID, alarm: a.alarm ?? AlarmType.NONE }, o),
          );
          out.alarms.push(...r.alarms);
        }
        return out;
      })(),
    );
    ctx.display.alarm(resp);
  },
};

export const defragCommand: CtlCommand = {
  path: ["defrag"],
  use: "defrag",
  short: "Defragments the storage of the etcd members with given endpoints",
  flags: [CLUSTER_FLAG, { name: "data-dir", kind: "string", def: "", usage: "Optional. If present, defragments a data directory not in use by etcd." }],
  async run(ctx) {
    const dataDir = ctx.flags.str("data-dir");
    if (dataDir.length > 0) {
      try {
        await defragDataDir(dataDir, ctx.sink);
      } catch (e) {
        ctx.sink.err(`Failed to defragment etcd data[${dataDir}] (${(e as Error).message})\n`);
        throw new ExitCode(ExitError);
      }
      return;
    }
    const cli = ctx.client();
    let failures = 0;
    for (const ep of await endpointsFromCluster(ctx)) {
      try {
        await cli.rpc((s, o) => s.maintenance.defragment({}, o), { endpoint: ep });
        ctx.sink.out(`Finished defragmenting etcd member[${ep}]\n`);
      } catch (e) {
        if (!(e instanceof RpcError)) throw e;
        ctx.sink.err(`Failed to defragment etcd member[${ep}] (${e.message})\n`);
        failures++;
      }
    }
    if (failures !== 0) throw new ExitCode(ExitError);
  },
};

export const ETCDCTL_VERSION = "3.4.23";
export const ETCDCTL_API_VERSION = "3.4";

export const versionCommand: CtlCommand = {
  path: ["version"],
  use: "version",
  short: "Prints the version of etcdctl",
  async run(ctx) {
    ctx.sink.out(`etcdctl version: ${ETCDCTL_VERSION}\nAPI version: ${ETCDCTL_API_VERSION}\n`);
  },
};
