// etcdctl make-mirror (make_mirror_command.go): copy the source's --prefix (at one revision) to the
// destination cluster, then apply every later change from a watch, one destination Txn per source revision.
// Keys are renamed by replacing the first occurrence of --prefix with --dest-prefix (default: the same
// prefix; --no-dest-prefix: ""), as Go's strings.Replace(key, prefix, destPrefix, 1). The running count of
// keys written (puts and deletes) is printed every 30 s. Like etcdctl, no signal is handled (an interrupt
// just ends the process), and a watch that ends prints "Error: <nil>" with exit 1.
import { CtlClient } from "../client.ts";
import type { CommandContext, CtlCommand } from "../command.ts";
import { CtlError, ExitBadArgs, ExitError } from "../errors.ts";
import { FlagSet } from "../flags.ts";
import { clientConfig, GLOBAL_FLAGS } from "../global_flags.ts";
import { toRpcError } from "../grpc_errors.ts";
import { ERR_COMPACTED } from "../concurrency/watch.ts";
import { Event_EventType } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import type { OpInit } from "../concurrency/ops.ts";
import { bytes } from "../concurrency/ops.ts";
import { Syncer } from "../mirror/syncer.ts";

const REPORT_EVERY_MS = 30_000;

/** Go's strings.Replace(s, old, new, 1) over bytes. */
export function replaceFirst(s: Uint8Array, old: Uint8Array, repl: Uint8Array): Uint8Array {
  let at = -1;
  if (old.length === 0) at = 0;
  else
    for (let i = 0; i + old.length <= s.length && at < 0; i++) {
      let j = 0;
      while (j < old.length && s[i + j] === old[j]) j++;
      if (j === old.length) at = i;
    }
  if (at < 0) return s;
  const out = new Uint8Array(s.length - old.length + repl.length);
  out.set(s.subarray(0, at));
  out.set(repl, at);
  out.set(s.subarray(at + old.length), at + repl.length);
  return out;
}

/** The destination client: its endpoint, the --dest-* TLS options, the global dial/keepalive settings, no auth. */
function destClient(ctx: CommandContext, dest: string): CtlClient {
  const f = ctx.flags;
  const fs = new FlagSet(GLOBAL_FLAGS);
  fs.values.set("endpoints", [dest]);
  fs.values.set("dial-timeout", f.ms("dial-timeout"));
  fs.values.set("command-timeout", f.ms("command-timeout"));
  for (const [from, to] of [["dest-cert", "cert"], ["dest-key", "key"], ["dest-cacert", "cacert"]] as const) {
    if (f.str(from) !== "") fs.set(to, f.str(from));
  }
  fs.values.set("insecure-transport", f.bool("dest-insecure-transport"));
  return new CtlClient(clientConfig(fs), ctx.sink);
}

async function mirror(ctx: CommandContext, c: CtlClient, dc: CtlClient): Promise<void> {
  let total = 0;
  const ticker = setInterval(() => ctx.sink.out(`${total}\n`), REPORT_EVERY_MS);
  try {
    const prefix = ctx.flags.str("prefix");
    const s = new Syncer(c, prefix);
    await s.baseRevision();
    const noDest = ctx.flags.bool("no-dest-prefix");
    let destPrefix = ctx.flags.str("dest-prefix");
    if (noDest && destPrefix.length > 0) {
      throw new CtlError(ExitBadArgs, "`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one");
    }
    if (!noDest && destPrefix.length === 0) destPrefix = prefix;
    const [from, to] = [bytes(prefix), bytes(destPrefix)];
    const rename = (k: Uint8Array) => replaceFirst(k, from, to);
    for await (const kvs of s.syncBase()) {
      for (const kv of kvs) {
        await dc.rpc((svc, o) => svc.kv.put({ key: rename(kv.key), value: kv.value }, o), { timeoutMs: null });
        total++;
      }
    }
    const commit = (ops: OpInit[]) => dc.rpc((svc, o) => svc.kv.txn({ success: ops }, o), { timeoutMs: null });
    for await (const wr of s.syncUpdates(new AbortController().signal)) {
      let lastRev = 0n;
      let ops: OpInit[] = [];
      for (const ev of wr.events) {
        const nextRev = ev.kv!.modRevision;
        if (lastRev !== 0n && nextRev > lastRev) {
          await commit(ops);
          ops = [];
        }
        lastRev = nextRev;
        const key = rename(ev.kv!.key);
        if (ev.type === Event_EventType.DELETE) ops.push({ request: { case: "requestDeleteRange", value: { key } } });
        else ops.push({ request: { case: "requestPut", value: { key, value: ev.kv!.value } } });
        total++;
      }
      if (ops.length > 0) await commit(ops);
    }
  } finally {
    clearInterval(ticker);
  }
}

export const makeMirrorCommand: CtlCommand = {
  path: ["make-mirror"],
  use: "make-mirror [options] <destination>",
  short: "Makes a mirror at the destination etcd cluster",
  flags: [
    { name: "dest-cacert", kind: "string", def: "", usage: "Verify certificates of TLS enabled secure servers using this CA bundle" },
    { name: "dest-cert", kind: "string", def: "", usage: "Identify secure client using this TLS certificate file for the destination cluster" },
    { name: "dest-insecure-transport", kind: "bool", def: "true", usage: "Disable transport security for client connections" },
    { name: "dest-key", kind: "string", def: "", usage: "Identify secure client using this TLS key file" },
    { name: "dest-prefix", kind: "string", def: "", usage: "destination prefix to mirror a prefix to a different prefix in the destination cluster" },
    { name: "no-dest-prefix", kind: "bool", def: "false", usage: "mirror key-values to the root of the destination cluster" },
    { name: "prefix", kind: "string", def: "", usage: "Key-value prefix to mirror" },
  ],
  async run(ctx) {
    if (ctx.args.length !== 1) throw new CtlError(ExitBadArgs, "make-mirror takes one destination argument");
    const dc = destClient(ctx, ctx.args[0]!);
    const c = ctx.client();
    try {
      await mirror(ctx, c, dc);
    } catch (e) {
      if (e instanceof CtlError) throw e;
      const msg = e instanceof Error && e.message === ERR_COMPACTED ? ERR_COMPACTED : toRpcError(e).message;
      throw new CtlError(ExitError, msg);
    }
    throw new CtlError(ExitError, "<nil>");
  },
};
