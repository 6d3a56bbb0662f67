#!/usr/bin/env bun
// The one entry point of bunetcd: the server (etcd's flags) and the client and offline commands.
// Dispatch: `--version`/`version`, `backend …` (offline file tools). The server arrives with issue 6.
import { runBackend } from "./backend.ts";
import { ETCD_COMPAT_VERSION, VERSION } from "./version.ts";

function versionText(): string {
  return [
    `bunetcd Version: ${VERSION}`,
    `etcd API Version: ${ETCD_COMPAT_VERSION.split(".").slice(0, 2).join(".")} (follows etcd ${ETCD_COMPAT_VERSION})`,
    `Bun Version: ${Bun.version}`,
    `OS/Arch: ${process.platform}/${process.arch}`,
  ].join("\n");
}

export function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === "--version" || cmd === "version") {
    console.log(versionText());
    return 0;
  }
  if (cmd === "backend") return runBackend(rest);
  console.error(
    "bunetcd: the server and client commands are not built yet (see the issues); available now:\n" +
      "  bunetcd --version\n  bunetcd backend check|stats|compact ...",
  );
  return 2;
}

if (import.meta.main) process.exit(main(process.argv.slice(2)));
