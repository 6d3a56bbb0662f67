// The server benchmark's lease keep-alive row (load/keepalive.ts): L leases kept alive over S LeaseKeepAlive streams
// (one per connection), each lease always with one keep-alive in flight; keep-alive responses per second.
// Options: --leases=N (1000), --lease-streams=N (10), --seconds=N per run (3; --quick 1).
import { runGenerator } from "../load/run.ts";
import { fmt } from "../table.ts";
import { type Common, type Group, opt } from "./compare.ts";

export function leaseGroup(o: Common): Group {
  const l = { leases: opt(o.args, "leases", 1000), streams: opt(o.args, "lease-streams", 10), seconds: opt(o.args, "seconds", o.quick ? 1 : 3) };
  return {
    name: "lease",
    setup: `${fmt(l.leases)} leases on ${l.streams} LeaseKeepAlive streams (one per connection), one keep-alive in flight per lease, ${l.seconds} s per run`,
    cases: ["keepalive"],
    async measure(ctx) {
      const r = await runGenerator<{ calls: number; seconds: number; cpu: number; error?: string }>(
        "keepalive.ts", [ctx.endpoint, l.leases, l.streams, l.seconds], ctx.pinCpu,
      );
      if (r.error) throw new Error(r.error);
      return { rate: r.calls / r.seconds, cpu: r.cpu };
    },
    rows: [{ label: "lease keep-alives (responses/s)", of: "keepalive", figure: "rate", better: "higher", cpu: "cpu" }],
  };
}
