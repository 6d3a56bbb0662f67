// etcdctl get (get_command.go), plus bunetcd's --history (every retained revision of one key, oldest
// first, found by walking mod revisions backwards until the key is missing or compacted) and --count-only.
import { create } from "@bufbuild/protobuf";
import { type RangeResponse, RangeResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { KeyValue } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { type CommandContext, type CtlCommand, must } from "../command.ts";
import { CtlError, ExitBadArgs } from "../errors.ts";
import { RpcError } from "../grpc_errors.ts";
import { SimplePrinter } from "../printer/simple.ts";
import { GET_FLAGS, getOp } from "./kv_ops.ts";

async function history(ctx: CommandContext, first: RangeResponse): Promise<RangeResponse> {
  const kvs: KeyValue[] = [];
  let kv = first.kvs[0];
  const cli = ctx.client();
  while (kv) {
    kvs.unshift(kv);
    if (kv.version <= 1n) break;
    const rev = kv.modRevision - 1n;
    const key = kv.key;
    try {
      const r = await cli.rpc((s, o) => s.kv.range({ key, revision: rev }, o));
      kv = r.kvs[0];
    } catch (e) {
      if (e instanceof RpcError) break;
      throw e;
    }
  }
  return create(RangeResponseSchema, { header: first.header, kvs, count: BigInt(kvs.length) });
}

export const getCommand: CtlCommand = {
  path: ["get"],
  use: "get [options] <key> [range_end]",
  short: "Gets the key or a range of keys",
  flags: GET_FLAGS,
  async run(ctx) {
    const req = getOp(ctx.args, ctx.flags);
    const cli = ctx.client();
    let resp = await must(cli.rpc((s, o) => s.kv.range(req, o)));
    if (ctx.flags.spec("history") && ctx.flags.bool("history")) resp = await must(history(ctx, resp));
    const display = ctx.display;
    if (ctx.flags.bool("print-value-only")) {
      if (!(display instanceof SimplePrinter)) throw new CtlError(ExitBadArgs, "print-value-only is only for `--write-out=simple`");
      display.valueOnly = true;
    }
    if (ctx.flags.spec("count-only") && ctx.flags.bool("count-only") && display instanceof SimplePrinter) {
      ctx.sink.out(`${resp.count}\n`);
      return;
    }
    display.get(resp);
  },
};
