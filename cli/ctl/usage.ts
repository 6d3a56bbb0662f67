// etcdctl's help page (etcdctl/ctlv3/help.go's template over cobra's command tree, through Go's tabwriter):
// NAME, USAGE, VERSION (root), API VERSION + COMMANDS (groups), DESCRIPTION, OPTIONS, GLOBAL OPTIONS.
import type { CtlCommand } from "./command.ts";
import type { FlagSpec } from "./flags.ts";
import { GLOBAL_FLAGS } from "./global_flags.ts";
import { COMMANDS, groupOf } from "./registry.ts";
import { tabwrite } from "./tabwriter.ts";
import { CLUSTER_FLAG } from "./commands/endpoints.ts";
import { ETCDCTL_API_VERSION, ETCDCTL_VERSION } from "./commands/maintenance.ts";

/** cobra's extra commands in etcdctl 3.4.23's build: help and shell completion. */
const COBRA_EXTRAS = [
  { path: ["completion", "bash"], short: "Generate the autocompletion script for bash" },
  { path: ["completion", "fish"], short: "Generate the autocompletion script for fish" },
  { path: ["completion", "powershell"], short: "Generate the autocompletion script for powershell" },
  { path: ["completion", "zsh"], short: "Generate the autocompletion script for zsh" },
  { path: ["help"], short: "Help about any command" },
];

function flagUsages(flags: FlagSpec[]): string {
  return [...flags]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => {
      const head = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
      const noOpt = f.kind === "bool";
      const val = f.kind === "string" ? JSON.stringify(f.def) : f.def;
      return `${head}${noOpt ? "[" : ""}=${val}${noOpt ? "]" : ""}\t${f.usage}\n`;
    })
    .join("");
}

const helpFlag = (name: string): FlagSpec => ({ name: "help", short: "h", kind: "bool", def: "false", usage: `help for ${name}` });

interface Node {
  use: string;
  short: string;
  long?: string;
  flags: FlagSpec[];
  /** persistent flags inherited from the parent group (endpoint's and defrag's --cluster) */
  inherited: FlagSpec[];
}

/** The help page of a command path: [] = root, ["lease"] = a group, ["lease","grant"] = a command. */
export function usageText(path: string[], cmd?: CtlCommand, opts: { noHelpFlag?: boolean } = {}): string {
  const isRoot = path.length === 0;
  const group = path.length === 1 ? groupOf(path[0]!) : undefined;
  const name = isRoot ? "etcdctl" : path[path.length - 1]!;
  const subs = isRoot
    ? [...COMMANDS.map((c) => ({ path: c.path, short: c.short })), ...COBRA_EXTRAS]
    : group
      ? COMMANDS.filter((c) => c.path[0] === group.name && c.path.length === 2).map((c) => ({ path: c.path.slice(1), short: c.short }))
      : [];
  const hasSubs = isRoot || group !== undefined;
  const endpointCluster = path[0] === "endpoint";
  const own = (cmd?.flags ?? []).filter((f) => !(endpointCluster && f.name === "cluster"));
  const node: Node = {
    use: isRoot ? "etcdctl" : (group?.use ?? cmd?.use ?? name),
    short: isRoot ? "A simple command line client for etcd3." : (group?.short ?? cmd?.short ?? ""),
    ...(cmd?.long ? { long: cmd.long } : {}),
    flags: isRoot ? [...GLOBAL_FLAGS, ...(opts.noHelpFlag ? [] : [helpFlag(name)])] : [...own, helpFlag(name), ...(group?.name === "endpoint" ? [CLUSTER_FLAG] : [])],
    inherited: isRoot ? [] : [...GLOBAL_FLAGS, ...(endpointCluster && path.length === 2 ? [CLUSTER_FLAG] : [])],
  };
  const fullName = path.join(" ");
  let t = "NAME:\n";
  t += isRoot ? `\t${name} - ${node.short}\n` : `\t${fullName} - ${node.short}\n`;
  t += "\nUSAGE:\n";
  t += isRoot ? "\tetcdctl [flags]\n" : `\tetcdctl ${[...path.slice(0, -1), node.use].join(" ")} [flags]\n`;
  if (isRoot) t += `\nVERSION:\n\t${ETCDCTL_VERSION}\n`;
  if (hasSubs) {
    t += `\nAPI VERSION:\n\t${ETCDCTL_API_VERSION}\n`;
    t += "\n\nCOMMANDS:\n";
    const sorted = [...subs].sort((a, b) => (a.path.join(" ") < b.path.join(" ") ? -1 : 1));
    for (const s of sorted) t += `\t${s.path.join(" ")}\t${s.short}\n`;
  }
  if (node.long) t += `\nDESCRIPTION:\n${node.long.replace(/^[\n\t ]+|[\n\t ]+$/g, "").split("\n").map((l) => `\t${l}\n`).join("")}`;
  t += `\nOPTIONS:\n${flagUsages(node.flags)}`;
  if (node.inherited.length > 0) t += `\nGLOBAL OPTIONS:\n${flagUsages(node.inherited)}`;
  t += "\n";
  return tabwrite(t);
}
