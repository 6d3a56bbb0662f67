// The server benchmark's kv rows: put (8-byte keys, 256-byte values), range linearizable, range serializable and
// txn-put, unary calls from N connections × M concurrent streams (load/generator.ts), ops/s per op and put latency;
// under the table, failed calls and the generator's own ceiling against a bare gRPC handler (load/ceiling.ts).
// Options: --seconds=N per run (3; --quick 1), --conns=N (10), --streams=N per connection (10).
import { generatorCeiling } from "../load/ceiling.ts";
import { runLoad } from "../load/run.ts";
import { type Op, OPS } from "../load/requests.ts";
import { fmt } from "../table.ts";
import { type Common, firstLine, type Group, NAMES, opt, type RowSpec } from "./compare.ts";

export function kvGroup(o: Common): Group {
  const shape = { seconds: opt(o.args, "seconds", o.quick ? 1 : 3), conns: opt(o.args, "conns", 10), streams: opt(o.args, "streams", 10) };
  const latency = (p: "p50" | "p99"): RowSpec => ({ label: `put latency ${p} (ms)`, of: "put", figure: `${p}Ms`, better: "lower", digits: 2 });
  return {
    name: "kv",
    setup: `${shape.conns} connections × ${shape.streams} streams = ${shape.conns * shape.streams} clients, ${shape.seconds} s per run`,
    cases: OPS,
    async measure(ctx, op) {
      const r = await runLoad(ctx.endpoint, op as Op, { ...shape, pinCpu: ctx.pinCpu });
      return { rate: r.calls / r.seconds, p50Ms: r.p50Ms, p99Ms: r.p99Ms, cpu: r.cpu, errors: r.errors };
    },
    rows: [...OPS.map((op): RowSpec => ({ label: `${op} (ops/s)`, of: op, figure: "rate", better: "higher", cpu: "cpu" })), latency("p50"), latency("p99")],
    async notes(res) {
      const errs = NAMES.flatMap((n) => OPS.map((op) => [`${n}/${op}`, res.all(n, op).reduce((a, f) => a + f.errors, 0)] as const)).filter(([, k]) => k);
      const ceiling = await generatorCeiling({ ...shape, pinCpu: o.pinned ? 1 : undefined }).then((c) => `${fmt(c)} calls/s`, firstLine);
      return [
        ...(errs.length ? [`\nfailed calls: ${errs.map(([k, n]) => `${k}: ${n}`).join("; ")}`] : []),
        `\ngenerator ceiling (same shape, put bodies, against a bare node:http2 gRPC handler): ${ceiling}`,
      ];
    },
  };
}
