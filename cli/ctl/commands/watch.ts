// etcdctl watch (watch_command.go): `watch [options] <key> [range_end] [-- cmd args…]` (or the key from
// ETCDCTL_WATCH_KEY / ETCDCTL_WATCH_RANGE_END), and `watch -i`: watch/progress requests read line by line from
// stdin (EOF ends the command with exit 3, as etcdctl). A watch ends only when the server cancels it:
// "watch is canceled by the server", exit 5.
import type { CommandContext, CtlCommand } from "../command.ts";
import { CtlError, ExitBadArgs, ExitInterrupted, ExitInvalidInput } from "../errors.ts";
import { FlagError, type FlagSet, type FlagSpec, parseFlags } from "../flags.ts";
import { argify } from "./argify.ts";
import { prefixEnd } from "../../../engine/bytes/prefix_end.ts";
import { WatchSession } from "./watch_session.ts";

const enc = new TextEncoder();

const WATCH_FLAGS: FlagSpec[] = [
  { name: "interactive", short: "i", kind: "bool", def: "false", usage: "Interactive mode" },
  { name: "prefix", kind: "bool", def: "false", usage: "Watch on a prefix if prefix is set" },
  { name: "prev-kv", kind: "bool", def: "false", usage: "get the previous key-value pair before the event happens" },
  { name: "rev", kind: "int", def: "0", usage: "Revision to start watching" },
];

const BAD_NUM = "bad number of arguments";
const BAD_SEP = "bad number of arguments (found separator --, but no commands)";
const BAD_ENV = "bad number of arguments (found conflicting environment key)";

interface Env {
  key: string;
  range: string;
}

/** getWatchChan's checks and options; a string is the error etcdctl reports for this watch. */
function createRequest(args: string[], f: FlagSet) {
  if (args.length < 1) return BAD_NUM;
  const prefix = f.bool("prefix");
  if (args.length === 2 && prefix) return "`range_end` and `--prefix` are mutually exclusive";
  let key: Uint8Array<ArrayBuffer> = enc.encode(args[0]!);
  let rangeEnd: Uint8Array<ArrayBuffer> = args.length === 2 ? enc.encode(args[1]!) : new Uint8Array();
  if (prefix) {
    if (key.length === 0) {
      key = new Uint8Array([0]);
      rangeEnd = new Uint8Array([0]);
    } else rangeEnd = prefixEnd(key);
  }
  return { key, rangeEnd, startRevision: f.int("rev"), prevKv: f.bool("prev-kv") };
}

/** Splits watch words at `--` into (watch args with the env key/range prepended, exec args). */
function withEnv(words: string[], dashAt: number, env: Env): { watchArgs: string[]; execArgs: string[] } {
  const watchArgs = dashAt >= 0 ? words.slice(0, dashAt) : words;
  const execArgs = dashAt >= 0 ? words.slice(dashAt) : [];
  const ranges = env.key === "" ? [] : env.range === "" ? [env.key] : [env.key, env.range];
  return { watchArgs: [...ranges, ...watchArgs], execArgs };
}

async function interactive(ctx: CommandContext, env: Env): Promise<void> {
  const session = new WatchSession(ctx.client(), ctx.display, ctx.sink);
  const text = new TextDecoder().decode(await ctx.readStdin());
  const lines = text.split("\n");
  const failed = session.done().then(
    () => undefined,
    (e: unknown) => e,
  );
  for (let i = 0; i < lines.length - 1; i++) {
    const l = lines[i]!;
    const args = argify(l);
    if (args.length < 1) {
      ctx.sink.err(`Invalid command: ${l} (watch and progress supported)\n`);
      continue;
    }
    if (args[0] === "progress") {
      session.progress();
      continue;
    }
    if (args[0] !== "watch") {
      ctx.sink.err(`Invalid command ${l} (only support watch)\n`);
      continue;
    }
    if (args.length < 2 && env.key === "") {
      ctx.sink.err(`Invalid command ${l} (command type or key is not provided)\n`);
      continue;
    }
    let f: FlagSet;
    try {
      f = parseFlags(WATCH_FLAGS, args.slice(1));
    } catch (e) {
      if (e instanceof FlagError) throw new CtlError(ExitBadArgs, e.message);
      throw e;
    }
    if (f.dashAt >= 0 && f.dashAt === f.args.length) throw new CtlError(ExitBadArgs, BAD_SEP);
    if (f.dashAt < 0 && env.key === "" && f.args.length < 1) throw new CtlError(ExitBadArgs, BAD_NUM);
    if (f.dashAt < 0 && f.args.length > 0 && env.key !== "") throw new CtlError(ExitBadArgs, BAD_ENV);
    const { watchArgs, execArgs } = withEnv(f.args, f.dashAt, env);
    const req = createRequest(watchArgs, f);
    if (typeof req === "string") {
      ctx.sink.err(`Invalid command ${l} (${req})\n`);
      continue;
    }
    session.watch(req, execArgs);
  }
  await Bun.sleep(0);
  const err = await Promise.race([failed, Promise.resolve(undefined)]);
  if (err) throw err;
  session.close();
  throw new CtlError(ExitInvalidInput, "Error reading watch request line: EOF");
}

export const watchCommand: CtlCommand = {
  path: ["watch"],
  use: "watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
  short: "Watches events stream on keys or prefixes",
  flags: WATCH_FLAGS,
  env: ["ETCDCTL_WATCH_KEY", "ETCDCTL_WATCH_RANGE_END"],
  async run(ctx) {
    const env: Env = { key: ctx.init.env.ETCDCTL_WATCH_KEY ?? "", range: ctx.init.env.ETCDCTL_WATCH_RANGE_END ?? "" };
    if (env.key === "" && env.range !== "") throw new CtlError(ExitBadArgs, `ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=${JSON.stringify(env.range)}`);
    if (ctx.flags.bool("interactive")) return interactive(ctx, env);
    const dash = ctx.flags.dashAt;
    if (dash >= 0 && dash === ctx.args.length) throw new CtlError(ExitBadArgs, BAD_SEP);
    if (dash < 0 && ctx.args.length < 1 && env.key === "") throw new CtlError(ExitBadArgs, BAD_NUM);
    if (env.key !== "" && (dash >= 0 ? dash : ctx.args.length) > 0) throw new CtlError(ExitBadArgs, BAD_ENV);
    const { watchArgs, execArgs } = withEnv(ctx.args, dash, env);
    const session = new WatchSession(ctx.client(), ctx.display, ctx.sink);
    const req = createRequest(watchArgs, ctx.flags);
    if (typeof req === "string") throw new CtlError(ExitBadArgs, req);
    session.watch(req, execArgs);
    await session.done();
    throw new CtlError(ExitInterrupted, "watch is canceled by the server");
  },
};

