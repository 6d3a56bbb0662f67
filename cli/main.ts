#!/usr/bin/env bun
// The one entry point of bunetcd: the server (etcd's flags) and the client and offline commands.
// Dispatch: invoked as `etcdctl` → the client (cli/ctl); as `etcd` → the server; as bunetcd: `version`,
// `backend …` (offline file tools), an etcdctl command name → the client; anything else is the server's
// command line (etcd's flags, `--version` among them).
// The server and the client are loaded on demand, so the client never loads the server's modules.
import { runBackend } from "./backend.ts";
import { isClientCommand, persona } from "./ctl/entry.ts";
import { ETCD_COMPAT_VERSION, VERSION } from "./version.ts";

function versionText(): string {
  return [
    `bunetcd Version: ${VERSION}`,
    `etcd API Version: ${ETCD_COMPAT_VERSION.split(".").slice(0, 2).join(".")} (follows etcd ${ETCD_COMPAT_VERSION})`,
    `Bun Version: ${Bun.version}`,
    `OS/Arch: ${process.platform}/${process.arch}`,
  ].join("\n");
}

async function runServer(argv: string[], version: () => string): Promise<number> {
  // first, before anything is printed: restart in place with the server's GC options (cli/server/gc_tuning.ts)
  (await import("./server/gc_tuning.ts")).reexecWithServerGcOptions();
  return (await import("./server/run.ts")).runServer(argv, version);
}

async function runEtcdctl(argv: string[], strict: boolean): Promise<number> {
  return (await import("./ctl/dispatch.ts")).runCtl(argv, { strict });
}

export async function main(argv: string[]): Promise<number> {
  const as = persona();
  if (as === "etcdctl") return runEtcdctl(argv, true);
  if (as === "etcd") return runServer(argv, versionText);
  const [cmd, ...rest] = argv;
  if (isClientCommand(cmd)) return runEtcdctl(argv, false);
  if (cmd === "version") {
    console.log(versionText());
    return 0;
  }
  if (cmd === "backend") return runBackend(rest);
  return runServer(argv, versionText);
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
