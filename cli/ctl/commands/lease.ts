// etcdctl lease grant|revoke|timetolive|list|keep-alive (lease_command.go). Lease ids are hex arguments;
// timetolive, list and keep-alive run without a deadline (context.TODO in etcdctl).
import { type CommandContext, type CtlCommand, must } from "../command.ts";
import { CtlError, ExitBadArgs, ExitBadConnection, ExitError } from "../errors.ts";
import { goParseInt } from "../go_parse.ts";
import { SimplePrinter } from "../printer/simple.ts";
import { hex016 } from "../gofmt.ts";
import { keepAliveStream } from "./keep_alive.ts";

function leaseFromArgs(arg: string): bigint {
  try {
    return goParseInt(arg, 16);
  } catch (e) {
    throw new CtlError(ExitBadArgs, `bad lease ID arg (${(e as Error).message}), expecting ID in Hex`);
  }
}

function oneArg(ctx: CommandContext, msg: string): string {
  if (ctx.args.length !== 1) throw new CtlError(ExitBadArgs, msg);
  return ctx.args[0]!;
}

export const leaseGrantCommand: CtlCommand = {
  path: ["lease", "grant"],
  use: "grant <ttl>",
  short: "Creates leases",
  async run(ctx) {
    const arg = oneArg(ctx, "lease grant command needs TTL argument");
    let ttl: bigint;
    try {
      ttl = goParseInt(arg, 10);
    } catch (e) {
      throw new CtlError(ExitBadArgs, `bad TTL (${(e as Error).message})`);
    }
    const resp = await must(ctx.client().rpc((s, o) => s.lease.leaseGrant({ TTL: ttl }, o)), ExitError, (m) => `failed to grant lease (${m})`);
    ctx.display.grant(resp);
  },
};

export const leaseRevokeCommand: CtlCommand = {
  path: ["lease", "revoke"],
  use: "revoke <leaseID>",
  short: "Revokes leases",
  async run(ctx) {
    const id = leaseFromArgs(oneArg(ctx, "lease revoke command needs 1 argument"));
    const resp = await must(ctx.client().rpc((s, o) => s.lease.leaseRevoke({ ID: id }, o)), ExitError, (m) => `failed to revoke lease (${m})`);
    ctx.display.revoke(id, resp);
  },
};

export const leaseTimeToLiveCommand: CtlCommand = {
  path: ["lease", "timetolive"],
  use: "timetolive <leaseID> [options]",
  short: "Get lease information",
  flags: [{ name: "keys", kind: "bool", def: "false", usage: "Get keys attached to this lease" }],
  async run(ctx) {
    const arg = oneArg(ctx, "lease timetolive command needs lease ID as argument");
    const keys = ctx.flags.bool("keys");
    const cli = ctx.client();
    const id = leaseFromArgs(arg);
    const resp = await must(cli.rpc((s, o) => s.lease.leaseTimeToLive({ ID: id, keys }, o), { timeoutMs: null }), ExitBadConnection);
    ctx.display.timeToLive(resp, keys);
  },
};

export const leaseListCommand: CtlCommand = {
  path: ["lease", "list"],
  use: "list",
  short: "List all active leases",
  async run(ctx) {
    const resp = await must(ctx.client().rpc((s, o) => s.lease.leaseLeases({}, o), { timeoutMs: null }), ExitBadConnection);
    ctx.display.leases(resp);
  },
};

export const leaseKeepAliveCommand: CtlCommand = {
  path: ["lease", "keep-alive"],
  use: "keep-alive [options] <leaseID>",
  short: "Keeps leases alive (renew)",
  flags: [{ name: "once", kind: "bool", def: "false", usage: "Resets the keep-alive time to its original value and exits immediately" }],
  async run(ctx) {
    const id = leaseFromArgs(oneArg(ctx, "lease keep-alive command needs lease ID as argument"));
    const cli = ctx.client();
    const display = ctx.display;
    const once = ctx.flags.bool("once");
    for await (const resp of keepAliveStream(cli, id, once)) display.keepAlive(resp);
    if (once) return;
    if (display instanceof SimplePrinter) ctx.sink.out(`lease ${hex016(id)} expired or revoked.\n`);
  },
};
