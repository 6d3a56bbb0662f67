// How the one binary decides to be etcdctl: by the name it was invoked through (a link or copy named
// `etcdctl` is etcdctl exactly, one named `etcd` is the server), or, as bunetcd, by a first argument that is
// an etcdctl command name (bunetcd's own `version` and `backend` stay bunetcd's).
import { basename } from "node:path";

/** etcdctl's top-level command names (registry.ts's ROOT_ORDER; kept here so entry.ts loads nothing else). */
const CLIENT_COMMANDS = [
  "get", "put", "del", "txn", "compaction", "alarm", "defrag", "endpoint", "move-leader", "watch", "lease",
  "member", "snapshot", "make-mirror", "migrate", "lock", "elect", "auth", "user", "role", "check",
];

export type Persona = "etcdctl" | "etcd" | "bunetcd";

/** The program name as invoked (argv[0] of the process, not the resolved executable). */
export function persona(argv0: string = process.argv0): Persona {
  const name = basename(argv0).replace(/\.exe$/, "");
  if (name === "etcdctl") return "etcdctl";
  if (name === "etcd") return "etcd";
  return "bunetcd";
}

/** True when bunetcd's first argument names a client command. */
export function isClientCommand(first: string | undefined): boolean {
  return first !== undefined && CLIENT_COMMANDS.includes(first);
}
