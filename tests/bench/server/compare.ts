// The server benchmark's shared machinery: one row group (kv, watch, lease, snapshot) runs against a fresh etcd and
// a fresh bunetcd started side by side (own data directories, so each group sees the same data in both), optional
// preparation per server, then `rounds` rounds of every case on both servers, the order alternating per round.
// Each case returns named figures from a load generator process; a row's value is the median over the rounds and
// its ratio is always oriented so that > 1 means bunetcd is better: bunetcd / etcd for rates, etcd / bunetcd for
// latencies and durations. Rows that show the generator's CPU also show the server's: its process CPU time per
// second over the whole case (generator start, setup and warm-up included), 100% = one core. A server's first failure in a group is reported in its cells; the other server goes on.
import { type Member, startEtcd } from "../../support/etcd.ts";
import { startBunetcd } from "../../support/bunetcd.ts";
import { tempDirs } from "../../support/tmp.ts";
import { pin } from "../load/run.ts";
import { fmt, printTable } from "../table.ts";
import { readFileSync } from "node:fs";

export const NAMES = ["etcd", "bunetcd"] as const;
export type Name = (typeof NAMES)[number];
/** One case's measured figures, by name (e.g. {rate, p50Ms, cpu}). */
export type Figures = Record<string, number>;

/** Options shared by every group (parsed by server.ts). */
export interface Common {
  args: string[];
  rounds: number;
  quick: boolean;
  pinned: boolean;
  /** extra server flags, on both servers */
  flags: string[];
}

export interface Ctx {
  name: Name;
  endpoint: string;
  /** a scratch directory of this server's run (e.g. for snapshot files) */
  scratch: string;
  /** the CPU the generator is pinned to, if pinning */
  pinCpu?: number;
}

export interface RowSpec {
  label: string;
  /** the case whose figures it shows, and which figure */
  of: string;
  figure: string;
  better: "higher" | "lower";
  /** no ratio column (e.g. a figure that is legitimately 0) */
  noRatio?: boolean;
  digits?: number;
  /** a figure of the same case with the generator's CPU use (shown as a percentage) */
  cpu?: string;
}

export interface Group {
  name: string;
  /** one line saying what was measured and how */
  setup: string;
  cases: readonly string[];
  prepare?(ctx: Ctx): Promise<void>;
  measure(ctx: Ctx, c: string): Promise<Figures>;
  rows: RowSpec[];
  /** lines printed under the table (after both servers stopped) */
  notes?(results: Results): Promise<string[]> | string[];
}

export class Results {
  readonly failed = new Map<Name, string>();
  private readonly runs = new Map<string, Figures[]>();

  add(name: Name, c: string, f: Figures): void {
    this.runs.set(`${name}/${c}`, [...this.all(name, c), f]);
  }

  all(name: Name, c: string): Figures[] {
    return this.runs.get(`${name}/${c}`) ?? [];
  }

  /** The median over the rounds of one figure, or undefined without a result. */
  median(name: Name, c: string, figure: string): number | undefined {
    const xs = this.all(name, c).map((f) => f[figure]).filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
    return xs.length ? xs[Math.floor(xs.length / 2)] : undefined;
  }
}

/** A numeric `--name=value` option, or the default. */
export function opt(args: string[], name: string, dflt: number): number {
  return Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0].slice(0, 160);
}

const start = { etcd: startEtcd, bunetcd: startBunetcd };

/** The figure compare() adds to every case: the server process's CPU time per wall second over the case (1 = one core). */
const SERVER_CPU = "serverCpu";
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** User + system CPU seconds of a process so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
  } catch {
    return Number.NaN;
  }
}

async function withServerCpu(pid: number, measure: () => Promise<Figures>): Promise<Figures> {
  const [cpu0, t0] = [cpuSeconds(pid), performance.now()];
  const f = await measure();
  return { ...f, [SERVER_CPU]: (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000) };
}

/** Runs one group against both servers and prints its table. */
export async function compare(group: Group, o: Common): Promise<void> {
  const dirs = tempDirs(`bench-server-${group.name}-`);
  const servers = new Map<Name, Ctx & { member: Member }>();
  const res = new Results();
  const attempt = async (name: Name, what: string, fn: () => Promise<void>) => {
    if (res.failed.has(name)) return;
    try {
      await fn();
    } catch (e) {
      res.failed.set(name, `${what}: ${firstLine(e)}`);
    }
  };
  try {
    for (const name of NAMES) {
      await attempt(name, "start", async () => {
        const member = await start[name](dirs.make(name), o.flags);
        const ctx = { name, member, endpoint: member.endpoint, scratch: dirs.make(`${name}-files`), pinCpu: o.pinned ? 1 : undefined };
        servers.set(name, ctx);
        if (o.pinned) await pin(member.pid, 0);
        await group.prepare?.(ctx);
      });
    }
    for (let round = 0; round < o.rounds; round++) {
      for (const c of group.cases) {
        for (const name of round % 2 ? [...NAMES].reverse() : NAMES) {
          const ctx = servers.get(name);
          if (ctx) await attempt(name, c, async () => res.add(name, c, await withServerCpu(ctx.member.pid, () => group.measure(ctx, c))));
        }
      }
    }
  } finally {
    for (const { member } of servers.values()) await member.stop().catch((e) => console.error(`stop: ${firstLine(e)}`));
    dirs.cleanup();
  }
  const notes = (await group.notes?.(res)) ?? [];
  console.log(`### ${group.name}: ${group.setup}; ${o.rounds} round(s), median${o.pinned ? "; server CPU 0, generator CPU 1" : ""}` +
    `${o.flags.length ? `; ${o.flags.join(" ")}` : ""}\n`);
  printTable([
    "row", "etcd", "bunetcd", "ratio, >1 = bunetcd better (rates: bunetcd / etcd; ms, s: etcd / bunetcd)", "gen CPU (etcd / bunetcd run)",
    "server CPU (etcd / bunetcd)",
  ], group.rows.map((r) => row(res, r)));
  for (const n of notes) console.log(n);
  console.log("");
}

function row(res: Results, r: RowSpec): string[] {
  const [e, b] = NAMES.map((n) => res.median(n, r.of, r.figure));
  const cell = (n: Name, v: number | undefined) => (v === undefined ? `error: ${res.failed.get(n) ?? "no result"}` : fmt(v, r.digits ?? 0));
  const ratio = e === undefined || b === undefined || r.noRatio ? undefined : r.better === "higher" ? b / e : e / b;
  const pct = (n: Name, figure: string) => {
    const v = res.median(n, r.of, figure);
    return v === undefined ? "-" : `${fmt(v * 100)}%`;
  };
  const both = (figure: string) => `${pct("etcd", figure)} / ${pct("bunetcd", figure)}`;
  return [
    r.label, cell("etcd", e), cell("bunetcd", b),
    ratio === undefined || !Number.isFinite(ratio) ? "-" : `${fmt(ratio, 2)}×`,
    r.cpu === undefined ? "" : both(r.cpu),
    r.cpu === undefined ? "" : both(SERVER_CPU),
  ];
}
