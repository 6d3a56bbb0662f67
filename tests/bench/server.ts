// Server benchmark: bunetcd against a real etcd 3.4, both started fresh on loopback and driven in the same
// run by our own gRPC load generator (tests/bench/load/, a separate process: N connections × M concurrent
// streams). Ops: put (8-byte keys, 256-byte values), range linearizable, range serializable, txn-put. Rounds
// alternate between the servers; each figure is the median of the rounds. Also put p50/p99 latency and the
// generator's CPU use (well under 100% of a core = the generator is not the bottleneck) and its ceiling against a
// bare gRPC handler.
// Options: --seconds=N per run (3), --rounds=N (3), --conns=N (10), --streams=N per connection (10),
// --quick (1 s, 1 round), --pin (server on CPU 0, generator on CPU 1), --no-fsync (--unsafe-no-fsync on both).
import { type Member, startEtcd } from "../support/etcd.ts";
import { startBunetcd } from "../support/bunetcd.ts";
import { tempDirs } from "../support/tmp.ts";
import { generatorCeiling } from "./load/ceiling.ts";
import { canPin, type LoadResult, pin, runLoad } from "./load/run.ts";
import { type Op, OPS } from "./load/requests.ts";
import { fmt, printTable } from "./table.ts";

const NAMES = ["etcd", "bunetcd"] as const;
type Name = (typeof NAMES)[number];

const opt = (args: string[], name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function (args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const shape = { seconds: opt(args, "seconds", quick ? 1 : 3), conns: opt(args, "conns", 10), streams: opt(args, "streams", 10) };
  const rounds = opt(args, "rounds", quick ? 1 : 3);
  const pinned = args.includes("--pin") && canPin;
  const flags = args.includes("--no-fsync") ? ["--unsafe-no-fsync"] : [];
  const dirs = tempDirs("bench-server-");
  const servers = new Map<Name, Member>();
  const failed = new Map<Name, string>();
  const results = new Map<string, LoadResult[]>();
  const start = { etcd: startEtcd, bunetcd: startBunetcd };
  try {
    for (const name of NAMES) {
      try {
        const m = await start[name](dirs.make(name), flags);
        servers.set(name, m);
        if (pinned) await pin(m.pid, 0);
      } catch (e) {
        failed.set(name, firstLine(e));
      }
    }
    for (let round = 0; round < rounds; round++) {
      for (const op of OPS) {
        const order = round % 2 ? [...NAMES].reverse() : NAMES;
        for (const name of order) {
          const m = servers.get(name);
          if (!m || failed.has(name)) continue;
          try {
            const r = await runLoad(m.endpoint, op, { ...shape, pinCpu: pinned ? 1 : undefined });
            results.set(`${name}/${op}`, [...(results.get(`${name}/${op}`) ?? []), r]);
          } catch (e) {
            failed.set(name, `${op}: ${firstLine(e)}`);
          }
        }
      }
    }
  } finally {
    for (const m of servers.values()) await m.stop().catch((e) => console.error(`stop: ${firstLine(e)}`));
    dirs.cleanup();
  }
  const ceiling = await generatorCeiling({ ...shape, pinCpu: pinned ? 1 : undefined }).catch((e) => firstLine(e));
  report(results, failed, { ...shape, rounds, pinned, flags });
  console.log(`\ngenerator ceiling (same shape, put bodies, against a bare node:http2 gRPC handler): ${typeof ceiling === "number" ? `${fmt(ceiling)} calls/s` : ceiling}`);
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0].slice(0, 160);
}

function report(results: Map<string, LoadResult[]>, failed: Map<Name, string>, o: { seconds: number; conns: number; streams: number; rounds: number; pinned: boolean; flags: string[] }) {
  const med = (name: Name, op: Op, f: (r: LoadResult) => number) => {
    const rs = results.get(`${name}/${op}`);
    return rs?.length ? medianOf(rs.map(f)) : undefined;
  };
  const rate = (r: LoadResult) => r.calls / r.seconds;
  const cell = (name: Name, v: number | undefined, digits = 0) => (v === undefined ? `error: ${failed.get(name) ?? "no result"}` : fmt(v, digits));
  console.log(`${o.conns} connections × ${o.streams} streams = ${o.conns * o.streams} clients; ${o.rounds} round(s) × ${o.seconds} s, median;` +
    ` generator in its own process${o.pinned ? " (server CPU 0, generator CPU 1)" : ""}${o.flags.length ? `; ${o.flags.join(" ")}` : ""}\n`);
  printTable(
    ["op", "etcd ops/s", "bunetcd ops/s", "bunetcd / etcd", "gen CPU (etcd run)", "gen CPU (bunetcd run)"],
    OPS.map((op) => {
      const [e, b] = [med("etcd", op, rate), med("bunetcd", op, rate)];
      const cpu = (n: Name) => (med(n, op, (r) => r.cpu) === undefined ? "-" : `${fmt(med(n, op, (r) => r.cpu)! * 100)}%`);
      return [op, cell("etcd", e), cell("bunetcd", b), e && b ? `${fmt(b / e, 2)}×` : "-", cpu("etcd"), cpu("bunetcd")];
    }),
  );
  console.log("");
  printTable(
    ["put latency", "etcd ms", "bunetcd ms"],
    (["p50Ms", "p99Ms"] as const).map((p) => [p.slice(0, 3), cell("etcd", med("etcd", "put", (r) => r[p]), 2), cell("bunetcd", med("bunetcd", "put", (r) => r[p]), 2)]),
  );
  const errs = [...results.entries()].filter(([, rs]) => rs.some((r) => r.errors)).map(([k, rs]) => `${k}: ${rs.reduce((a, r) => a + r.errors, 0)} failed calls`);
  if (errs.length) console.log(`\nfailed calls: ${errs.join("; ")}`);
}
