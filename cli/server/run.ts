// `bunetcd [etcd server flags]`: parse etcd's command line and environment, report errors exactly as etcd
// does (exit 2 with usage for flag syntax, exit 1 for "error verifying flags"), then run the server.
import { readConfig, validateConfig, type ServerConfig } from "./config.ts";
import { FlagError } from "./parse_flags.ts";
import { USAGE } from "./usage.ts";

/** capnslog's line format, which etcd 3.4 prints by default and tooling matches on. */
export function logLine(level: "I" | "W" | "E" | "N", pkg: string, msg: string): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const ts = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
  return `${ts} ${level} | ${pkg}: ${msg}`;
}

export async function runServer(args: string[], versionText: () => string): Promise<number> {
  let cfg: ServerConfig;
  try {
    cfg = readConfig(args, process.env);
    for (const n of cfg.notes) console.error(logLine(n.startsWith("unrecognized") || n.includes("not supported") ? "W" : "I", "pkg/flags", n));
    validateConfig(cfg);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    if (e.kind === "help") {
      console.log(USAGE);
    } else if (e.kind === "usage") {
      console.error(e.message);
      console.error(USAGE);
    } else {
      console.error(logLine("E", "etcdmain", `error verifying flags, ${e.message}. See 'etcd --help'.`));
    }
    return e.exitCode;
  }
  if (cfg.printVersion) {
    console.log(versionText());
    return 0;
  }
  console.error(logLine("E", "etcdmain", "bunetcd: the server is not built yet (issue 6); the configuration above was parsed and validated"));
  return 1;
}
