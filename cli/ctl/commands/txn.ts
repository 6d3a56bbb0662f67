// etcdctl txn (txn_command.go): compares, success ops and failure ops read from stdin, each section ended by
// an empty line (with -i, a prompt before each section). A request line is parsed as a put/get/del command
// line (argify + the same flags, with cobra's prefix matching of the command name).
import { create } from "@bufbuild/protobuf";
import {
  type Compare, Compare_CompareResult, Compare_CompareTarget, CompareSchema, type RequestOp, RequestOpSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type CtlCommand, must } from "../command.ts";
import { CtlError, ExitBadArgs, ExitInvalidInput } from "../errors.ts";
import { cobraUsage } from "../cobra_usage.ts";
import { FlagError, type FlagSpec, parseFlags } from "../flags.ts";
import type { Sink } from "../io.ts";
import { goParseInt, goUnquote } from "../go_parse.ts";
import { GoPanic } from "../printer/unsupported.ts";
import { argify } from "./argify.ts";
import { DEL_FLAGS, delOp, GET_FLAGS, getOp, PUT_FLAGS, putOp } from "./kv_ops.ts";

const enc = new TextEncoder();

/** bufio.Reader.ReadString('\n') over stdin: a line without its newline at EOF is an EOF error. */
class LineReader {
  private at = 0;
  constructor(private readonly text: string) {}
  readLine(): string {
    const nl = this.text.indexOf("\n", this.at);
    if (nl < 0) throw new CtlError(ExitInvalidInput, "EOF");
    const line = this.text.slice(this.at, nl);
    this.at = nl + 1;
    return line;
  }
}

const RESULTS: Record<string, Compare_CompareResult> = {
  "=": Compare_CompareResult.EQUAL,
  "!=": Compare_CompareResult.NOT_EQUAL,
  "<": Compare_CompareResult.LESS,
  ">": Compare_CompareResult.GREATER,
};

const QUOTED = String.raw`("(?:[^"\\]|\\.)*"|\x60[^\x60]*\x60)`;
const CMP_RE = new RegExp(String.raw`^\s*${QUOTED}\)\s*(\S+)\s*${QUOTED}`);

export function parseCompare(line: string): Compare {
  const lp = line.indexOf("(");
  if (lp < 0) throw new CtlError(ExitInvalidInput, `malformed comparison: ${line}`);
  const target = line.slice(0, lp);
  const m = CMP_RE.exec(line.slice(lp + 1));
  const key = m ? goUnquote(m[1]!) : undefined;
  const val = m ? goUnquote(m[3]!) : undefined;
  if (!m || key === undefined || val === undefined) {
    throw new CtlError(ExitInvalidInput, `malformed comparison: ${line}; got ${target}(${JSON.stringify(key ?? "")}) ${m?.[2] ?? ""} ${JSON.stringify(val ?? "")}`);
  }
  const op = m[2]!;
  const result = RESULTS[op];
  if (result === undefined) throw new GoPanic();
  const invalid = () => new CtlError(ExitInvalidInput, `invalid txn compare request: ${line}`);
  const num = () => {
    try {
      return goParseInt(val, 10);
    } catch {
      throw invalid();
    }
  };
  const base = { result, key: enc.encode(key) };
  switch (target) {
    case "ver":
    case "version":
      return create(CompareSchema, { ...base, target: Compare_CompareTarget.VERSION, targetUnion: { case: "version", value: num() } });
    case "c":
    case "create":
      return create(CompareSchema, { ...base, target: Compare_CompareTarget.CREATE, targetUnion: { case: "createRevision", value: num() } });
    case "m":
    case "mod":
      return create(CompareSchema, { ...base, target: Compare_CompareTarget.MOD, targetUnion: { case: "modRevision", value: num() } });
    case "val":
    case "value":
      return create(CompareSchema, { ...base, target: Compare_CompareTarget.VALUE, targetUnion: { case: "value", value: enc.encode(val) } });
    case "lease":
      // etcdctl 3.4 passes the value as a string to clientv3.Compare, which panics (mustInt64)
      throw new GoPanic();
    default:
      throw new CtlError(ExitInvalidInput, `malformed comparison: ${line} (unknown target ${target})`);
  }
}

const HELP: FlagSpec = { name: "help", short: "h", kind: "bool", def: "false", usage: "" };
const OPS = [
  { name: "put", use: "put [options] <key> <value> (<value> can also be given from stdin)", flags: PUT_FLAGS },
  { name: "get", use: "get [options] <key> [range_end]", flags: GET_FLAGS },
  { name: "del", use: "del [options] <key> [range_end]", flags: DEL_FLAGS },
];

/** Parses one request line as etcdctl does; a bad flag prints cobra's usage of that command on stderr. */
export async function parseRequestUnion(line: string, sink?: Sink): Promise<RequestOp> {
  const args = argify(line);
  const invalid = () => new CtlError(ExitInvalidInput, `invalid txn request: ${line}`);
  if (args.length < 2) throw new CtlError(ExitInvalidInput, `invalid txn compare request: ${line}`);
  const name = args[0]!;
  const matches = OPS.filter((o) => o.name === name || o.name.startsWith(name));
  const op = matches.find((o) => o.name === name) ?? (matches.length === 1 ? matches[0] : undefined);
  if (!op) throw invalid();
  let fs: ReturnType<typeof parseFlags>;
  const help = { ...HELP, usage: `help for ${op.name}` };
  try {
    fs = parseFlags([...op.flags, help], args.slice(1));
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    sink?.err(cobraUsage(op.use, [...op.flags, help]));
    throw invalid();
  }
  if (op.name === "put") {
    const noStdin = async () => new Uint8Array();
    return create(RequestOpSchema, { request: { case: "requestPut", value: await putOp(fs.args, fs, noStdin) } });
  }
  if (op.name === "get") return create(RequestOpSchema, { request: { case: "requestRange", value: getOp(fs.args, fs) } });
  return create(RequestOpSchema, { request: { case: "requestDeleteRange", value: delOp(fs.args, fs) } });
}

export const txnCommand: CtlCommand = {
  path: ["txn"],
  use: "txn [options]",
  short: "Txn processes all the requests in one transaction",
  flags: [{ name: "interactive", short: "i", kind: "bool", def: "false", usage: "Input transaction in interactive mode" }],
  async run(ctx) {
    if (ctx.args.length !== 0) throw new CtlError(ExitBadArgs, "txn command does not accept argument");
    const cli = ctx.client();
    const interactive = ctx.flags.bool("interactive");
    const prompt = (s: string) => interactive && ctx.sink.out(`${s}\n`);
    const reader = new LineReader(new TextDecoder().decode(await ctx.readStdin()));
    const section = async <T>(parse: (l: string) => T | Promise<T>): Promise<T[]> => {
      const out: T[] = [];
      for (;;) {
        const l = reader.readLine().trim();
        if (l.length === 0) return out;
        out.push(await parse(l));
      }
    };
    prompt("compares:");
    const compare = await section(parseCompare);
    prompt("success requests (get, put, del):");
    const success = await section((l) => parseRequestUnion(l, ctx.sink));
    prompt("failure requests (get, put, del):");
    const failure = await section((l) => parseRequestUnion(l, ctx.sink));
    const resp = await must(cli.rpc((s, o) => s.kv.txn({ compare, success, failure }, o), { timeoutMs: null }));
    ctx.display.txn(resp);
  },
};
