#!/usr/bin/env bun
// The one entry point of bunetcd: the server (etcd's flags) and the client and offline commands.
// Dispatch: `version`, `backend …` (offline file tools); anything else is the server's command line
// (etcd's flags, `--version` among them).
import { runBackend } from "./backend.ts";
import { runServer } from "./server/run.ts";
import { ETCD_COMPAT_VERSION, VERSION } from "./version.ts";

function versionText(): string {
  return [
    `bunetcd Version: ${VERSION}`,
    `etcd API Version: ${ETCD_COMPAT_VERSION.split(".").slice(0, 2).join(".")} (follows etcd ${ETCD_COMPAT_VERSION})`,
    `Bun Version: ${Bun.version}`,
    `OS/Arch: ${process.platform}/${process.arch}`,
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === "version") {
    console.log(versionText());
    return 0;
  }
  if (cmd === "backend") return runBackend(rest);
  return runServer(argv, versionText);
}

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
