// The command table: etcdctl's command tree in etcdctl's registration order (cobra suggests commands in this
// order; help lists them sorted). A command is one CtlCommand in commands/; groups (lease, member, …) only
// name their children. Commands bunetcd does not implement are listed by name so that help, prefix matching
// and suggestions behave as etcdctl's; running one fails with a plain message.
import type { CtlCommand } from "./command.ts";
import { checkDatascaleCommand } from "./commands/check_datascale.ts";
import { checkPerfCommand } from "./commands/check_perf.ts";
import { compactionCommand } from "./commands/compaction.ts";
import { delCommand } from "./commands/del.ts";
import { electCommand } from "./commands/elect.ts";
import { endpointHashKVCommand, endpointHealthCommand, endpointStatusCommand } from "./commands/endpoint.ts";
import { getCommand } from "./commands/get.ts";
import { leaseGrantCommand, leaseKeepAliveCommand, leaseListCommand, leaseRevokeCommand, leaseTimeToLiveCommand } from "./commands/lease.ts";
import { lockCommand } from "./commands/lock.ts";
import { makeMirrorCommand } from "./commands/make_mirror.ts";
import { alarmDisarmCommand, alarmListCommand, defragCommand, versionCommand } from "./commands/maintenance.ts";
import { memberAddCommand, memberListCommand, memberPromoteCommand, memberRemoveCommand, memberUpdateCommand } from "./commands/member.ts";
import { moveLeaderCommand } from "./commands/move_leader.ts";
import { putCommand } from "./commands/put.ts";
import { snapshotSaveCommand } from "./commands/snapshot_save.ts";
import { txnCommand } from "./commands/txn.ts";
import { watchCommand } from "./commands/watch.ts";
import { CtlError, ExitError } from "./errors.ts";

export interface Group {
  name: string;
  use: string;
  short: string;
}

/** Root-level entries in etcdctl's AddCommand order: a group name or a runnable command. */
export const ROOT_ORDER = [
  "get", "put", "del", "txn", "compaction", "alarm", "defrag", "endpoint", "move-leader", "watch", "version", "lease",
  "member", "snapshot", "make-mirror", "migrate", "lock", "elect", "auth", "user", "role", "check",
];

export const GROUPS: Group[] = [
  { name: "alarm", use: "alarm <subcommand>", short: "Alarm related commands" },
  { name: "endpoint", use: "endpoint <subcommand>", short: "Endpoint related commands" },
  { name: "lease", use: "lease <subcommand>", short: "Lease related commands" },
  { name: "member", use: "member <subcommand>", short: "Membership related commands" },
  { name: "snapshot", use: "snapshot <subcommand>", short: "Manages etcd node snapshots" },
  { name: "auth", use: "auth <enable or disable>", short: "Enable or disable authentication" },
  { name: "user", use: "user <subcommand>", short: "User related commands" },
  { name: "role", use: "role <subcommand>", short: "Role related commands" },
  { name: "check", use: "check <subcommand>", short: "commands for checking properties of the etcd cluster" },
];

function notImplemented(path: string[], use: string, short: string): CtlCommand {
  return {
    path,
    use,
    short,
    async run() {
      throw new CtlError(ExitError, `"${path.join(" ")}" is not implemented by bunetcd`);
    },
  };
}

const NOT_IMPLEMENTED: CtlCommand[] = [
  notImplemented(["migrate"], "migrate", "Migrates keys in a v2 store to a mvcc store"),
  notImplemented(["auth", "disable"], "disable", "Disables authentication"),
  notImplemented(["auth", "enable"], "enable", "Enables authentication"),
  notImplemented(["role", "add"], "add <role name>", "Adds a new role"),
  notImplemented(["role", "delete"], "delete <role name>", "Deletes a role"),
  notImplemented(["role", "get"], "get <role name>", "Gets detailed information of a role"),
  notImplemented(["role", "grant-permission"], "grant-permission [options] <role name> <permission type> <key> [endkey]", "Grants a key to a role"),
  notImplemented(["role", "list"], "list", "Lists all roles"),
  notImplemented(["role", "revoke-permission"], "revoke-permission <role name> <key> [endkey]", "Revokes a key from a role"),
  notImplemented(["snapshot", "restore"], "restore <filename> [options]", "Restores an etcd member snapshot to an etcd directory"),
  notImplemented(["snapshot", "status"], "status <filename>", "Gets backend snapshot status of a given file"),
  notImplemented(["user", "add"], "add <user name or user:password> [options]", "Adds a new user"),
  notImplemented(["user", "delete"], "delete <user name>", "Deletes a user"),
  notImplemented(["user", "get"], "get <user name> [options]", "Gets detailed information of a user"),
  notImplemented(["user", "grant-role"], "grant-role <user name> <role name>", "Grants a role to a user"),
  notImplemented(["user", "list"], "list", "Lists all users"),
  notImplemented(["user", "passwd"], "passwd <user name> [options]", "Changes password of user"),
  notImplemented(["user", "revoke-role"], "revoke-role <user name> <role name>", "Revokes a role from a user"),
];

/** Every runnable command. Later registrations with the same path replace earlier ones (see register()). */
export const COMMANDS: CtlCommand[] = [
  getCommand, putCommand, delCommand, txnCommand, compactionCommand,
  alarmDisarmCommand, alarmListCommand, defragCommand,
  endpointHashKVCommand, endpointHealthCommand, endpointStatusCommand,
  moveLeaderCommand, watchCommand, versionCommand,
  leaseGrantCommand, leaseKeepAliveCommand, leaseListCommand, leaseRevokeCommand, leaseTimeToLiveCommand,
  memberAddCommand, memberListCommand, memberPromoteCommand, memberRemoveCommand, memberUpdateCommand,
  snapshotSaveCommand,
  makeMirrorCommand, lockCommand, electCommand, checkPerfCommand, checkDatascaleCommand,
  ...NOT_IMPLEMENTED,
];

/** Adds or replaces a command (how lock, elect, make-mirror, check perf plug in). */
export function register(cmd: CtlCommand): void {
  const key = cmd.path.join(" ");
  const at = COMMANDS.findIndex((c) => c.path.join(" ") === key);
  if (at >= 0) COMMANDS[at] = cmd;
  else COMMANDS.push(cmd);
}

export function findCommand(path: string[]): CtlCommand | undefined {
  const key = path.join(" ");
  return COMMANDS.find((c) => c.path.join(" ") === key);
}

/** Names of the children of a path ([] = root), in registration order. */
export function childNames(path: string[]): string[] {
  if (path.length === 0) return ROOT_ORDER;
  const names: string[] = [];
  for (const c of COMMANDS) if (c.path.length === path.length + 1 && c.path[0] === path[0]) names.push(c.path[path.length]!);
  return names;
}

export function groupOf(name: string): Group | undefined {
  return GROUPS.find((g) => g.name === name);
}
