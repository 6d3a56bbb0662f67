// The etcdctl command line: find the command as cobra does (flags may come before it; a unique prefix of a
// command name selects it; unknown root commands fail with suggestions; groups without a valid subcommand
// print their help), parse its flags (pflag semantics, help on -h), run it, and turn the outcome into
// etcdctl's stderr lines and exit code. `strict` = invoked as etcdctl (no bunetcd extras).
import { CommandContext, type CtlCommand } from "./command.ts";
import { GET_EXTRA_FLAGS } from "./commands/kv_ops.ts";
import { discoverEndpoints } from "./discovery.ts";
import { CtlError, ExitCode } from "./errors.ts";
import { FlagError, type FlagSpec, parseFlags } from "./flags.ts";
import { GLOBAL_FLAGS } from "./global_flags.ts";
import { stdio, type Sink } from "./io.ts";
import { GoPanic } from "./printer/unsupported.ts";
import { childNames, findCommand, groupOf } from "./registry.ts";
import { usageText } from "./usage.ts";

export interface RunOptions {
  strict: boolean;
  sink?: Sink;
  env?: Record<string, string | undefined>;
  readStdin?: () => Promise<Uint8Array>;
}

const VALUE_FLAGS = new Set(GLOBAL_FLAGS.filter((f) => f.kind !== "bool").flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));

/** Positions of the non-flag words (cobra's stripFlags over the global flags). */
function wordPositions(argv: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    if (a.startsWith("-") && a.length > 1) {
      if (!a.includes("=") && VALUE_FLAGS.has(a)) i++;
      continue;
    }
    out.push(i);
  }
  return out;
}

/** Levenshtein distance, case-insensitive (cobra's ld(…, true)). */
function ld(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
  return d[s.length]![t.length]!;
}

function resolve(names: string[], word: string): string | undefined {
  if (names.includes(word)) return word;
  const pre = names.filter((n) => n.startsWith(word));
  return pre.length === 1 ? pre[0] : undefined;
}

function unknownCommand(word: string): CtlError {
  const sugg = [...childNames([]), "completion", "help"].filter((n) => ld(word, n) <= 2 || n.toLowerCase().startsWith(word.toLowerCase()));
  let msg = `unknown command ${JSON.stringify(word)} for "etcdctl"`;
  if (sugg.length > 0) msg += `\n\nDid you mean this?\n${sugg.map((s) => `\t${s}\n`).join("")}`;
  return new CtlError(1, msg);
}

async function readAll(): Promise<Uint8Array> {
  return new Uint8Array(await Bun.stdin.arrayBuffer());
}

function commandFlags(cmd: CtlCommand, strict: boolean): FlagSpec[] {
  const extra = !strict && cmd.path[0] === "get" ? GET_EXTRA_FLAGS : [];
  const help: FlagSpec = { name: "help", short: "h", kind: "bool", def: "false", usage: "" };
  return [...(cmd.flags ?? []), ...extra, ...GLOBAL_FLAGS, help];
}

/** etcdctl's main unsets ETCDCTL_API before the command runs (so it is never an unknown ETCDCTL_ variable). */
function withoutApi(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const { ETCDCTL_API: _api, ...rest } = env;
  return rest;
}

/** Runs an etcdctl command line (argv after the program name); returns the exit code. */
export async function runCtl(argv: string[], opts: RunOptions): Promise<number> {
  const sink = opts.sink ?? stdio;
  const fail = (e: unknown): number => {
    if (e instanceof CtlError) {
      sink.err(`Error: ${e.message}\n`);
      return e.code;
    }
    if (e instanceof ExitCode) return e.code;
    if (e instanceof GoPanic) {
      sink.err(`${e.message}\n`);
      return 2;
    }
    throw e;
  };
  const words = wordPositions(argv);
  const wantsHelp = argv.some((a) => a === "-h" || a === "--help");
  if (words.length === 0) {
    sink.out(usageText([]));
    return 0;
  }
  const first = resolve(childNames([]), argv[words[0]!]!);
  if (argv[words[0]!] === "help") return help(words.slice(1).map((i) => argv[i]!), sink);
  if (first === undefined) {
    const err = unknownCommand(argv[words[0]!]!);
    sink.err(`Error: ${err.message}\nRun 'etcdctl --help' for usage.\n`);
    return fail(err);
  }
  const path = [first];
  const used = [words[0]!];
  if (groupOf(first)) {
    const sub = words.length > 1 ? resolve(childNames([first]), argv[words[1]!]!) : undefined;
    if (sub === undefined) {
      sink.out(usageText([first]));
      return 0;
    }
    path.push(sub);
    used.push(words[1]!);
  }
  const cmd = findCommand(path)!;
  const rest = argv.filter((_, i) => !used.includes(i));
  if (path[0] === "snapshot" && (path[1] === "status" || path[1] === "restore")) {
    // the subcommand first, then every other word (global flags before `snapshot` included)
    return runOffline([path[1], ...rest], sink);
  }
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(commandFlags(cmd, opts.strict), rest);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    sink.err(`Error: ${e.message}\n`);
    sink.out(usageText(path, cmd));
    sink.err("\n");
    return fail(new CtlError(1, e.message));
  }
  if (wantsHelp && flags.bool("help")) {
    sink.out(usageText(path, cmd));
    return 0;
  }
  const ctx = new CommandContext({
    args: flags.args,
    flags,
    sink,
    env: withoutApi(opts.env ?? process.env),
    argv,
    strict: opts.strict,
    readStdin: opts.readStdin ?? readAll,
    command: cmd,
  });
  try {
    const domain = flags.str("discovery-srv");
    if (domain !== "") ctx.discovered = await discoverEndpoints(domain, flags.str("discovery-srv-name"), flags.bool("insecure-discovery"), sink);
    await cmd.run(ctx);
    return 0;
  } catch (e) {
    return fail(e);
  }
}

/** cobra's help command: the help page of the deepest command the words name. */
function help(words: string[], sink: Sink): number {
  const first = words[0] === undefined ? undefined : resolve(childNames([]), words[0]);
  if (words.length > 0 && first === undefined) {
    sink.err(`Unknown help topic [${words.map((w) => `\`${w}\``).join(" ")}]\n`);
    // cobra has not added the root's help flag when the help command runs
    sink.out(usageText([], undefined, { noHelpFlag: true }));
    return 0;
  }
  if (first === undefined) {
    sink.out(usageText([]));
    return 0;
  }
  const sub = groupOf(first) && words[1] !== undefined ? resolve(childNames([first]), words[1]) : undefined;
  const path = sub ? [first, sub] : [first];
  sink.out(usageText(path, findCommand(path)));
  return 0;
}

/** `snapshot status|restore` are offline file commands (cli/snapshot/offline.ts, loaded on demand). */
async function runOffline(args: string[], sink: Sink): Promise<number> {
  let mod: { runSnapshotOffline(args: string[]): Promise<number> };
  try {
    mod = await import("../snapshot/offline.ts");
  } catch {
    sink.err("Error: offline snapshot commands are not available in this build\n");
    return 1;
  }
  return mod.runSnapshotOffline(args);
}
