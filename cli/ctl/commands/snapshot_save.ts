// etcdctl snapshot save (snapshot_command.go + clientv3/snapshot.Save): stream the Maintenance.Snapshot of
// exactly one endpoint into <path>.part, fsync, rename to <path>; zap-style info lines on stderr as etcdctl
// logs them; "Snapshot saved at <path>" on stdout. bunetcd adds a progress bar on stderr when it is a TTY.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import type { CtlCommand } from "../command.ts";
import { CtlError, ExitBadArgs, ExitInterrupted } from "../errors.ts";
import { toRpcError } from "../grpc_errors.ts";
import { humanizeBytes } from "../gofmt.ts";

/** zap.NewProduction's line: epoch-seconds float timestamp (the snapshot package's logger). */
function zapInfo(caller: string, msg: string, fields: Record<string, unknown>): string {
  return `${JSON.stringify({ level: "info", ts: Date.now() / 1000, caller, msg, ...fields })}\n`;
}

/** clientv3's own logger line (ISO timestamp). */
function clientInfo(caller: string, msg: string): string {
  return `${JSON.stringify({ level: "info", ts: new Date().toISOString(), caller, msg })}\n`;
}

export const snapshotSaveCommand: CtlCommand = {
  path: ["snapshot", "save"],
  use: "save <filename>",
  short: "Stores an etcd node backend snapshot to a given file",
  async run(ctx) {
    if (ctx.args.length !== 1) throw new CtlError(ExitBadArgs, "snapshot save expects one argument");
    const path = ctx.args[0]!;
    const cfg = ctx.config();
    if (cfg.endpoints.length !== 1) {
      throw new CtlError(ExitInterrupted, `snapshot must be requested to one selected node, not multiple [${cfg.endpoints.join(" ")}]`);
    }
    const ep = cfg.endpoints[0]!;
    const cli = ctx.client();
    const partpath = `${path}.part`;
    const started = performance.now();
    const timeoutMs = ctx.flags.changed.has("command-timeout") ? ctx.commandTimeoutMs : undefined;
    const fd = openSync(partpath, "w", 0o600);
    ctx.sink.err(zapInfo("snapshot/v3_snapshot.go:119", "created temporary db file", { path: partpath }));
    const tty = !ctx.strict && process.stderr.isTTY;
    let total = 0;
    try {
      const opts = await cli.callOptions(ep, timeoutMs ? { timeoutMs } : {});
      let first = true;
      for await (const chunk of cli.services(ep).maintenance.snapshot({}, opts)) {
        if (first) {
          ctx.sink.err(clientInfo("clientv3/maintenance.go:200", "opened snapshot stream; downloading"));
          ctx.sink.err(zapInfo("snapshot/v3_snapshot.go:127", "fetching snapshot", { endpoint: ep }));
          first = false;
        }
        writeSync(fd, chunk.blob);
        total += chunk.blob.length;
        if (tty) ctx.sink.err(`\r${humanizeBytes(total)} received, ${humanizeBytes(chunk.remainingBytes)} remaining   `);
      }
      if (tty) ctx.sink.err("\n");
      ctx.sink.err(clientInfo("clientv3/maintenance.go:208", "completed snapshot read; closing"));
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      throw new CtlError(ExitInterrupted, toRpcError(e).message);
    }
    closeSync(fd);
    ctx.sink.err(
      zapInfo("snapshot/v3_snapshot.go:142", "fetched snapshot", {
        endpoint: ep,
        size: humanizeBytes(total),
        took: (performance.now() - started) / 1000,
      }),
    );
    renameSync(partpath, path);
    ctx.sink.err(zapInfo("snapshot/v3_snapshot.go:152", "saved", { path }));
    ctx.sink.out(`Snapshot saved at ${path}\n`);
  },
};
