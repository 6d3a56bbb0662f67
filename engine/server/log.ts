// The server's logger. etcd 3.4's default format (capnslog) is kept because operators and tooling match on
// its lines ("ready to serve client requests", "published ... to cluster"):
//   2026-11-26 07:15:55.572057 I | embed: ready to serve client requests
// With --logger=zap, one JSON object per line as etcd's zap logger writes. Levels below --log-level are
// dropped; output goes to stderr (etcd's "default") or stdout.

export type Level = "debug" | "info" | "notice" | "warn" | "error";
const RANK: Record<Level, number> = { debug: 0, info: 1, notice: 2, warn: 3, error: 4 };
const LETTER: Record<Level, string> = { debug: "D", info: "I", notice: "N", warn: "W", error: "E" };

export interface LoggerOptions {
  format?: "capnslog" | "zap";
  level?: string;
  output?: "stderr" | "stdout";
  /** Where lines go instead (tests). */
  sink?: (line: string) => void;
}

function capnslogTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

export class Logger {
  private readonly min: number;
  private readonly write: (line: string) => void;
  constructor(private readonly opts: LoggerOptions = {}) {
    const lvl = (opts.level ?? "info") as Level;
    this.min = RANK[lvl === ("warning" as Level) ? "warn" : lvl] ?? RANK.info;
    this.write = opts.sink ?? (opts.output === "stdout" ? (l) => process.stdout.write(l + "\n") : (l) => process.stderr.write(l + "\n"));
  }

  /** True when lines of `level` are written (lets a hot path skip building a message nobody sees). */
  enabled(level: Level): boolean {
    return RANK[level] >= this.min;
  }

  /** One line: `pkg` is the etcd package name the line is attributed to (embed, etcdserver, …). */
  log(level: Level, pkg: string, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < this.min) return;
    if (this.opts.format === "zap") {
      const lvl = level === "notice" ? "info" : level;
      this.write(JSON.stringify({ level: lvl, ts: Date.now() / 1000, caller: pkg, msg, ...fields }, (_, v) => (typeof v === "bigint" ? v.toString(16) : v)));
      return;
    }
    const extra = fields ? " " + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "bigint" ? v.toString(16) : String(v)}`).join(" ") : "";
    this.write(`${capnslogTime(new Date())} ${LETTER[level]} | ${pkg}: ${msg}${extra}`);
  }

  info(pkg: string, msg: string, fields?: Record<string, unknown>): void {
    this.log("info", pkg, msg, fields);
  }
  notice(pkg: string, msg: string): void {
    this.log("notice", pkg, msg);
  }
  warn(pkg: string, msg: string, fields?: Record<string, unknown>): void {
    this.log("warn", pkg, msg, fields);
  }
  error(pkg: string, msg: string, fields?: Record<string, unknown>): void {
    this.log("error", pkg, msg, fields);
  }
  debug(pkg: string, msg: string, fields?: Record<string, unknown>): void {
    this.log("debug", pkg, msg, fields);
  }
}
