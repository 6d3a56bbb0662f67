// etcdctl member add|remove|update|list|promote (member_command.go). Member ids are hex; peer URLs are
// validated as clientv3 does (types.NewURLs) before the request.
import { type CommandContext, type CtlCommand, must } from "../command.ts";
import { CtlError, ExitBadArgs, ExitError } from "../errors.ts";
import { goParseInt } from "../go_parse.ts";
import { SimplePrinter } from "../printer/simple.ts";

function memberId(ctx: CommandContext): bigint {
  if (ctx.args.length !== 1) throw new CtlError(ExitBadArgs, "member ID is not provided");
  try {
    return goParseInt(ctx.args[0]!, 16, true);
  } catch (e) {
    throw new CtlError(ExitBadArgs, `bad member ID arg (${(e as Error).message}), expecting ID in Hex`);
  }
}

/** pkg/types.NewURLs's checks, with its messages (reported by clientv3 as the call's error). */
export function checkUrls(urls: string[]): void {
  for (const raw of urls) {
    const u = raw.trim();
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(u);
    const scheme = m?.[1] ?? "";
    if (!["http", "https", "unix", "unixs"].includes(scheme)) throw new Error(`URL scheme must be http, https, unix, or unixs: ${u}`);
    if (!/^(\[[^\]]*\]|[^:[\]]*):[^:]*$/.test(m![2]!)) throw new Error(`URL address does not have the form "host:port": ${u}`);
    if (m![3] !== "") throw new Error(`URL must not contain a path: ${u}`);
  }
}

const PEER_URLS = (what: string) => ({ name: "peer-urls", kind: "string" as const, def: "", usage: `comma separated peer URLs for the ${what} member.` });

function peerUrls(ctx: CommandContext): string[] {
  const s = ctx.flags.str("peer-urls");
  if (s.length === 0) throw new CtlError(ExitBadArgs, "member peer urls not provided");
  return s.split(",");
}

/** clientv3 checks the URLs client-side; its error goes out as the RPC's. */
function validated(urls: string[]): void {
  try {
    checkUrls(urls);
  } catch (e) {
    throw new CtlError(ExitError, (e as Error).message);
  }
}

export const memberAddCommand: CtlCommand = {
  path: ["member", "add"],
  use: "add <memberName> [options]",
  short: "Adds a member into the cluster",
  flags: [
    { name: "learner", kind: "bool", def: "false", usage: "indicates if the new member is raft learner" },
    PEER_URLS("new"),
  ],
  async run(ctx) {
    if (ctx.args.length < 1) throw new CtlError(ExitBadArgs, "member name not provided");
    if (ctx.args.length > 1) {
      let ev = "too many arguments";
      for (const s of ctx.args) if (s.toLowerCase().startsWith("http")) ev += `, did you mean --peer-urls=${s}`;
      throw new CtlError(ExitBadArgs, ev);
    }
    const name = ctx.args[0]!;
    const urls = peerUrls(ctx);
    const cli = ctx.client();
    validated(urls);
    const isLearner = ctx.flags.bool("learner");
    const resp = await must(cli.rpc((s, o) => s.cluster.memberAdd({ peerURLs: urls, isLearner }, o)));
    const display = ctx.display;
    display.memberAdd(resp);
    if (!(display instanceof SimplePrinter)) return;
    const newId = resp.member?.ID;
    const conf: string[] = [];
    for (const m of resp.members) for (const u of m.peerURLs) conf.push(`${m.ID === newId ? name : m.name}=${u}`);
    ctx.sink.out(
      `\nETCD_NAME=${JSON.stringify(name)}\nETCD_INITIAL_CLUSTER=${JSON.stringify(conf.join(","))}\n` +
        `ETCD_INITIAL_ADVERTISE_PEER_URLS=${JSON.stringify(ctx.flags.str("peer-urls"))}\nETCD_INITIAL_CLUSTER_STATE="existing"\n`,
    );
  },
};

export const memberRemoveCommand: CtlCommand = {
  path: ["member", "remove"],
  use: "remove <memberID>",
  short: "Removes a member from the cluster",
  async run(ctx) {
    const id = memberId(ctx);
    const resp = await must(ctx.client().rpc((s, o) => s.cluster.memberRemove({ ID: id }, o)));
    ctx.display.memberRemove(id, resp);
  },
};

export const memberUpdateCommand: CtlCommand = {
  path: ["member", "update"],
  use: "update <memberID> [options]",
  short: "Updates a member in the cluster",
  flags: [PEER_URLS("updated")],
  async run(ctx) {
    const id = memberId(ctx);
    const urls = peerUrls(ctx);
    const cli = ctx.client();
    const resp = await must(cli.rpc((s, o) => s.cluster.memberUpdate({ ID: id, peerURLs: urls }, o)));
    ctx.display.memberUpdate(id, resp);
  },
};

export const memberListCommand: CtlCommand = {
  path: ["member", "list"],
  use: "list",
  short: "Lists all members in the cluster",
  long: `When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.
The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.
`,
  async run(ctx) {
    const resp = await must(ctx.client().rpc((s, o) => s.cluster.memberList({}, o)));
    ctx.display.memberList(resp);
  },
};

export const memberPromoteCommand: CtlCommand = {
  path: ["member", "promote"],
  use: "promote <memberID>",
  short: "Promotes a non-voting member in the cluster",
  long: `Promotes a non-voting learner member to a voting one in the cluster.
`,
  async run(ctx) {
    const id = memberId(ctx);
    const resp = await must(ctx.client().rpc((s, o) => s.cluster.memberPromote({ ID: id }, o)));
    ctx.display.memberPromote(id, resp);
  },
};

