// The server benchmark's watch fan-out rows (load/watch.ts): W watchers on one hot key over C connections, a writer
// putting values to it; events delivered per second with P puts in flight, then event latency with one put at a
// time: put sent → event received, and put acknowledged → event received (0 when the event comes first, so no
// ratio; the share of such events is noted under the table).
// Options: --watchers=N (1000), --watch-conns=N (10), --watch-puts=N (1000; --quick 200), --watch-in-flight=N (8),
// --watch-latency-puts=N (200; --quick 50), --watch-value=BYTES (256).
import { runGenerator } from "../load/run.ts";
import { fmt } from "../table.ts";
import { type Common, type Group, NAMES, opt, type RowSpec } from "./compare.ts";

interface WatchResult {
  events: number;
  seconds: number;
  sentP50Ms: number;
  sentP99Ms: number;
  ackP50Ms: number;
  ackP99Ms: number;
  beforeAck: number;
  cpu: number;
  error?: string;
}

export function watchGroup(o: Common): Group {
  const w = {
    watchers: opt(o.args, "watchers", 1000), conns: opt(o.args, "watch-conns", 10), puts: opt(o.args, "watch-puts", o.quick ? 200 : 1000),
    inFlight: opt(o.args, "watch-in-flight", 8), latencyPuts: opt(o.args, "watch-latency-puts", o.quick ? 50 : 200), value: opt(o.args, "watch-value", 256),
  };
  const ms = (label: string, figure: string, noRatio = false): RowSpec => ({ label, of: "fanout", figure, better: "lower", digits: 2, noRatio });
  return {
    name: "watch",
    setup: `${fmt(w.watchers)} watchers of one key on ${w.conns} connections (one Watch stream each), ${w.value}-byte values; ` +
      `events/s over ${fmt(w.puts)} puts with ${w.inFlight} in flight (${fmt(w.puts * w.watchers)} events), latency over ${w.latencyPuts} puts one at a time`,
    cases: ["fanout"],
    async measure(ctx) {
      const r = await runGenerator<WatchResult>("watch.ts", [ctx.endpoint, w.watchers, w.conns, w.puts, w.inFlight, w.latencyPuts, w.value], ctx.pinCpu);
      if (r.error) throw new Error(r.error);
      return { rate: r.events / r.seconds, sentP50Ms: r.sentP50Ms, sentP99Ms: r.sentP99Ms, ackP50Ms: r.ackP50Ms, ackP99Ms: r.ackP99Ms, beforeAck: r.beforeAck, cpu: r.cpu };
    },
    rows: [
      { label: "watch events delivered (events/s)", of: "fanout", figure: "rate", better: "higher", cpu: "cpu" },
      ms("event latency p50, put sent → event (ms)", "sentP50Ms"),
      ms("event latency p99, put sent → event (ms)", "sentP99Ms"),
      ms("event latency p50, put ack → event (ms)", "ackP50Ms", true),
      ms("event latency p99, put ack → event (ms)", "ackP99Ms", true),
    ],
    notes: (res) => [
      `\nevents that arrived before their put's response (latency phase, median): ` +
        NAMES.map((n) => `${n} ${fmt((res.median(n, "fanout", "beforeAck") ?? NaN) * 100)}%`).join(", "),
    ],
  };
}
