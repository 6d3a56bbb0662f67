// `bunetcd [etcd server flags]`: parse etcd's command line and environment, report errors exactly as etcd
// does (exit 2 with usage for flag syntax, exit 1 for "error verifying flags"), then run the server.
import { readConfig, validateConfig, type ServerConfig } from "./config.ts";
import { FlagError } from "./parse_flags.ts";
import { USAGE } from "./usage.ts";
import { serve } from "./serve.ts";
import { Logger } from "../../engine/server/log.ts";

export async function runServer(args: string[], versionText: () => string): Promise<number> {
  let cfg: ServerConfig;
  const log = new Logger();
  try {
    cfg = readConfig(args, process.env);
    for (const n of cfg.notes) log.log(n.startsWith("unrecognized") || n.includes("not supported") ? "warn" : "info", "pkg/flags", n);
    validateConfig(cfg);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    if (e.kind === "help") {
      console.log(USAGE);
    } else if (e.kind === "usage") {
      console.error(e.message);
      console.error(USAGE);
    } else {
      log.error("etcdmain", `error verifying flags, ${e.message}. See 'etcd --help'.`);
    }
    return e.exitCode;
  }
  if (cfg.printVersion) {
    console.log(versionText());
    return 0;
  }
  return serve(cfg, new Logger({ format: cfg.logger === "zap" ? "zap" : "capnslog", level: cfg.logLevel, output: cfg.logOutputs.includes("stdout") ? "stdout" : "stderr" }));
}
