// Go-flag-style parsing of etcd's server command line, with Go's exact error messages (etcd uses Go's
// `flag` package): `-flag`, `--flag`, `-flag=value`, `-flag value` (not for booleans), `--` ends flags.
// Then etcd's environment rule: ETCD_<FLAG_NAME> sets each flag the command line did not set.
// Values are checked by kind here and kept as strings; config.ts turns them into a typed config.
import { FLAG_BY_NAME, type FlagDef } from "./flag_table.ts";

/**
 * A rejected command line. "usage" errors are Go flag-package errors (printed with the usage text, exit 2);
 * "verify" errors come from etcd's own checks (logged as "error verifying flags, …", exit 1).
 */
export class FlagError extends Error {
  constructor(message: string, readonly kind: "usage" | "verify" | "help") {
    super(message);
    this.name = "FlagError";
  }
  get exitCode(): number {
    return this.kind === "usage" ? 2 : this.kind === "verify" ? 1 : 0;
  }
}

export interface ParsedFlags {
  /** Raw string value of every flag that was given (command line, env or config file). */
  values: Map<string, string>;
  /** Flags given on the command line. */
  fromArgs: Set<string>;
  /** Log lines etcd prints about environment variables. */
  notes: string[];
}

const BOOL_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const BOOL_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

export function parseBool(v: string): boolean | null {
  return BOOL_TRUE.has(v) ? true : BOOL_FALSE.has(v) ? false : null;
}

const DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** Go's time.ParseDuration, in milliseconds, or null. */
export function parseDuration(v: string): number | null {
  if (v === "0" || v === "+0" || v === "-0") return 0;
  if (!DURATION.test(v)) return null;
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return v.startsWith("-") ? -ms : ms;
}

/** etcd's types.NewURLs checks for a comma-separated URL list; returns the error text or null. */
export function urlsProblem(v: string): string | null {
  const parts = v.split(",");
  if (parts.length === 0 || v === "") return "no valid URLs given";
  for (const raw of parts) {
    const s = raw.trim();
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return `parse ${JSON.stringify(s)}: invalid URI for request`;
    }
    const scheme = u.protocol.slice(0, -1);
    if (!["http", "https", "unix", "unixs"].includes(scheme)) return `URL scheme must be http, https, unix, or unixs: ${s}`;
    if (!/^(\[[^\]]+\]|[^:/]*):\d+$/.test(u.host) && !/:\d+$/.test(s.replace(/\/$/, ""))) {
      return `URL address does not have the form "host:port": ${s}`;
    }
    if (u.pathname !== "/" && u.pathname !== "") return `URL must not contain a path: ${s}`;
    if (s.endsWith("/")) return `URL must not contain a path: ${s}`;
  }
  return null;
}

/** Why `value` is not valid for the flag (Go's error text), or null. */
export function valueProblem(def: FlagDef, value: string): string | null {
  switch (def.kind) {
    case "uint":
      if (!/^\d+$/.test(value)) return "parse error";
      return BigInt(value) > (def.name === "max-concurrent-streams" ? 0xffffffffn : 0xffffffffffffffffn) ? "value out of range" : null;
    case "int":
      if (!/^[-+]?\d+$/.test(value)) return "parse error";
      return BigInt(value) > 0x7fffffffffffffffn || BigInt(value) < -0x8000000000000000n ? "value out of range" : null;
    case "bool":
      return parseBool(value) === null ? "parse error" : null;
    case "duration":
      return parseDuration(value) === null ? "parse error" : null;
    case "urls":
      return urlsProblem(value);
    case "choice":
      return def.choices!.includes(value) ? null : "invalid value";
    default:
      return null;
  }
}

export function envName(flag: string): string {
  return `ETCD_${flag.toUpperCase().replaceAll("-", "_")}`;
}

/** Parses argv (without the program name). Throws FlagError with Go's messages. */
export function parseArgs(args: string[]): ParsedFlags {
  const values = new Map<string, string>();
  const fromArgs = new Set<string>();
  let i = 0;
  while (i < args.length) {
    const s = args[i];
    if (s.length < 2 || s[0] !== "-") break;
    const dashes = s[1] === "-" ? 2 : 1;
    if (s === "--") {
      i++;
      break;
    }
    let name = s.slice(dashes);
    if (name.length === 0 || name[0] === "-" || name[0] === "=") throw new FlagError(`bad flag syntax: ${s}`, "usage");
    i++;
    let value: string | undefined;
    const eq = name.indexOf("=", 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const def = FLAG_BY_NAME.get(name);
    if (!def) {
      if (name === "help" || name === "h") throw new FlagError("", "help");
      throw new FlagError(`flag provided but not defined: -${name}`, "usage");
    }
    if (def.kind === "bool") {
      if (value !== undefined && parseBool(value) === null) {
        throw new FlagError(`invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`, "usage");
      }
      value ??= "true";
    } else {
      if (value === undefined) {
        if (i >= args.length) throw new FlagError(`flag needs an argument: -${name}`, "usage");
        value = args[i++];
      }
      const p = valueProblem(def, value);
      if (p) throw new FlagError(`invalid value ${JSON.stringify(value)} for flag -${name}: ${p}`, "usage");
    }
    values.set(name, value);
    fromArgs.add(name);
  }
  if (i < args.length) throw new FlagError(`'${args[i]}' is not a valid flag`, "verify");
  return { values, fromArgs, notes: [] };
}

/** etcd's SetFlagsFromEnv: ETCD_* variables fill flags the command line left unset. */
export function applyEnv(parsed: ParsedFlags, env: Record<string, string | undefined>): void {
  const known = new Map<string, FlagDef>();
  for (const def of FLAG_BY_NAME.values()) known.set(envName(def.name), def);
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("ETCD_") || value === undefined) continue;
    const def = known.get(key);
    if (!def) {
      parsed.notes.push(`unrecognized environment variable ${key}=${value}`);
      continue;
    }
    if (parsed.fromArgs.has(def.name)) {
      parsed.notes.push(`recognized environment variable ${key}, but unused: shadowed by corresponding flag`);
      continue;
    }
    const p = valueProblem(def, value);
    if (p) throw new FlagError(`invalid value ${JSON.stringify(value)} for ${key}: ${p}`, "verify");
    parsed.values.set(def.name, value);
    parsed.notes.push(`recognized and used environment variable ${key}=${value}`);
  }
}
