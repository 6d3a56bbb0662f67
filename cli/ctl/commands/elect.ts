// etcdctl elect (elect_command.go): with a proposal, campaign on "<election-name>/" (a session with the
// default 60 s TTL), print the leader key and value once elected (as `get` prints them), hold until
// SIGINT/SIGTERM, then resign. With -l, observe: print the leader's key and value at every change until
// interrupted ("Error: elect: observer lost" if the observation ends by itself). Like etcdctl, observing
// also opens a session, and neither mode revokes its lease on exit.
import type { CtlCommand } from "../command.ts";
import { CtlError, ExitBadArgs } from "../errors.ts";
import { Election } from "../concurrency/election.ts";
import { holdUntilInterrupted, runInterruptible } from "../concurrency/interrupt.ts";
import { bytes } from "../concurrency/ops.ts";
import { Session } from "../concurrency/session.ts";

export const electCommand: CtlCommand = {
  path: ["elect"],
  use: "elect <election-name> [proposal]",
  short: "Observes and participates in leader election",
  flags: [{ name: "listen", short: "l", kind: "bool", def: "false", usage: "observation mode" }],
  async run(ctx) {
    const args = ctx.args;
    if (args.length !== 1 && args.length !== 2) {
      throw new CtlError(ExitBadArgs, "elect takes one election name argument and an optional proposal argument");
    }
    const listen = ctx.flags.bool("listen");
    const client = ctx.client();
    if (args.length === 1 && !listen) throw new CtlError(ExitBadArgs, "no proposal argument but -l not set");
    if (args.length === 2 && listen) throw new CtlError(ExitBadArgs, "proposal given but -l is set");
    await runInterruptible(() => Session.open(client), async (s, signal) => {
      const e = new Election(s, args[0]!);
      if (args.length === 1) {
        for await (const resp of e.observe(signal)) ctx.display.get(resp);
        if (!signal.aborted) throw new Error("elect: observer lost");
        s.orphan();
        return;
      }
      await e.campaign(args[1]!, signal);
      const resp = await client.rpc((svc, o) => svc.kv.range({ key: bytes(e.key()) }, o), { timeoutMs: null });
      ctx.display.get(resp);
      await holdUntilInterrupted(signal, s.done, "elect: session expired");
      await e.resign();
      s.orphan();
    });
  },
};
