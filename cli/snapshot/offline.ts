// `bunetcd snapshot status|restore …`: the offline snapshot commands (etcdctl 3.4's, etcdutl's in later
// releases), taking the arguments after `snapshot`. Flags as etcdctl's cobra/pflag parse them (`--f v`,
// `--f=v`, `-w v`, `-wv`; booleans bare or `=true|false`); etcdctl's client-connection globals are accepted
// and ignored. Exit codes and stderr texts are etcdctl's: 0, 1 (Error: …), 4 (unsupported output format),
// 128 (wrong argument count).
import { restore } from "./restore.ts";
import { formatStatus, snapshotStatus } from "./status.ts";

const EXIT_ERROR = 1, EXIT_BAD_FEATURE = 4, EXIT_BAD_ARGS = 128;

const USAGE = `usage:
  bunetcd snapshot status <filename> [-w simple|json|table|fields]
  bunetcd snapshot restore <filename> [--data-dir DIR] [--wal-dir DIR] [--name NAME]
      [--initial-cluster NAME=URL,…] [--initial-cluster-token TOKEN]
      [--initial-advertise-peer-urls URL,…] [--skip-hash-check]`;

const BOOL_FLAGS = new Set(["skip-hash-check", "hex", "debug", "insecure-discovery", "insecure-skip-tls-verify", "insecure-transport", "help"]);
const VALUE_FLAGS = new Set([
  "write-out", "data-dir", "wal-dir", "name", "initial-cluster", "initial-cluster-token", "initial-advertise-peer-urls",
  "endpoints", "dial-timeout", "command-timeout", "keepalive-time", "keepalive-timeout", "cacert", "cert", "key",
  "user", "password", "discovery-srv", "discovery-srv-name",
]);
const SHORT: Record<string, string> = { w: "write-out", d: "discovery-srv", h: "help" };

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  flags: Map<string, string>;
}

function parse(args: string[]): Parsed {
  const out: Parsed = { positional: [], flags: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      out.positional.push(a);
      continue;
    }
    let name: string;
    let value: string | undefined;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      value = eq < 0 ? undefined : a.slice(eq + 1);
    } else {
      name = SHORT[a[1]] ?? "";
      if (!name) throw new UsageError(`unknown shorthand flag: '${a[1]}' in ${a}`);
      const rest = a.slice(2);
      value = rest === "" ? undefined : rest.startsWith("=") ? rest.slice(1) : rest;
    }
    if (BOOL_FLAGS.has(name)) {
      if (value !== undefined && value !== "true" && value !== "false") {
        throw new UsageError(`invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
      }
      out.flags.set(name, value ?? "true");
    } else if (VALUE_FLAGS.has(name)) {
      if (value === undefined) {
        if (i + 1 >= args.length) throw new UsageError(`flag needs an argument: --${name}`);
        value = args[++i];
      }
      out.flags.set(name, value);
    } else {
      throw new UsageError(`unknown flag: --${name}`);
    }
  }
  return out;
}

function fail(code: number, msg: string): number {
  process.stderr.write(`Error: ${msg}\n`);
  return code;
}

function runStatus(p: Parsed): number {
  if (p.positional.length !== 1) return fail(EXIT_BAD_ARGS, "snapshot status requires exactly one argument");
  const format = p.flags.get("write-out") ?? "simple";
  if (!["simple", "json", "table", "fields", "protobuf"].includes(format)) return fail(EXIT_BAD_FEATURE, "unsupported output format");
  const st = snapshotStatus(p.positional[0]);
  if (format === "protobuf") return fail(EXIT_BAD_FEATURE, "protobuf not supported as output format");
  process.stdout.write(formatStatus(st, format));
  return 0;
}

async function runRestore(p: Parsed): Promise<number> {
  if (p.positional.length !== 1) return fail(EXIT_BAD_ARGS, "snapshot restore requires exactly one argument");
  const f = (k: string, d: string) => p.flags.get(k) ?? d;
  const name = f("name", "default");
  await restore({
    snapshotPath: p.positional[0],
    name,
    dataDir: f("data-dir", ""),
    walDir: f("wal-dir", ""),
    peerUrls: f("initial-advertise-peer-urls", "http://localhost:2380").split(","),
    initialCluster: f("initial-cluster", "default=http://localhost:2380"),
    initialClusterToken: f("initial-cluster-token", "etcd-cluster"),
    skipHashCheck: f("skip-hash-check", "false") === "true",
  });
  return 0;
}

export async function runSnapshotOffline(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    const p = parse(rest);
    if (p.flags.has("help")) {
      console.log(USAGE);
      return 0;
    }
    if (sub === "status") return runStatus(p);
    if (sub === "restore") return await runRestore(p);
  } catch (e) {
    if (e instanceof UsageError) {
      console.log(USAGE);
      return fail(EXIT_ERROR, e.message);
    }
    return fail(EXIT_ERROR, (e as Error).message);
  }
  console.log(USAGE);
  return sub === undefined ? 0 : EXIT_ERROR;
}

if (import.meta.main) process.exit(await runSnapshotOffline(process.argv.slice(2)));
