// etcdctl 3.4's global (persistent) flags (etcdctl/ctlv3/ctl.go) and how they become a client configuration:
// ETCDCTL_* environment variables fill unset global flags (pkg/flags.SetPflagsFromEnv, with its warning for
// unknown ETCDCTL_ variables and its fatal error when a variable is shadowed by a flag), TLS and auth options.
import { readFileSync } from "node:fs";
import type { ClientTlsOptions } from "../../rpc/client/transport.ts";
import { CtlError, ExitBadArgs, ExitCode } from "./errors.ts";
import type { FlagSet, FlagSpec } from "./flags.ts";
import { capnslogTime, goDuration } from "./gofmt.ts";
import { type Sink, stdio } from "./io.ts";
import { askPassword } from "./password_prompt.ts";

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "cacert", kind: "string", def: "", usage: "verify certificates of TLS-enabled secure servers using this CA bundle" },
  { name: "cert", kind: "string", def: "", usage: "identify secure client using this TLS certificate file" },
  { name: "command-timeout", kind: "duration", def: "5s", usage: "timeout for short running command (excluding dial timeout)" },
  { name: "debug", kind: "bool", def: "false", usage: "enable client-side debug logging" },
  { name: "dial-timeout", kind: "duration", def: "2s", usage: "dial timeout for client connections" },
  { name: "discovery-srv", short: "d", kind: "string", def: "", usage: "domain name to query for SRV records describing cluster endpoints" },
  { name: "discovery-srv-name", kind: "string", def: "", usage: "service name to query when using DNS discovery" },
  { name: "endpoints", kind: "stringSlice", def: "[127.0.0.1:2379]", usage: "gRPC endpoints" },
  { name: "hex", kind: "bool", def: "false", usage: "print byte strings as hex encoded strings" },
  { name: "insecure-discovery", kind: "bool", def: "true", usage: "accept insecure SRV records describing cluster endpoints" },
  {
    name: "insecure-skip-tls-verify",
    kind: "bool",
    def: "false",
    usage: "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)",
  },
  { name: "insecure-transport", kind: "bool", def: "true", usage: "disable transport security for client connections" },
  { name: "keepalive-time", kind: "duration", def: "2s", usage: "keepalive time for client connections" },
  { name: "keepalive-timeout", kind: "duration", def: "6s", usage: "keepalive timeout for client connections" },
  { name: "key", kind: "string", def: "", usage: "identify secure client using this TLS key file" },
  {
    name: "password",
    kind: "string",
    def: "",
    usage: "password for authentication (if this option is used, --user option shouldn't include password)",
  },
  { name: "user", kind: "string", def: "", usage: "username[:password] for authentication (prompt if password is not supplied)" },
  { name: "write-out", short: "w", kind: "string", def: "simple", usage: "set the output format (fields, json, protobuf, simple, table)" },
];

const GLOBAL_NAMES = new Set(GLOBAL_FLAGS.map((f) => f.name));

export const envName = (flag: string) => `ETCDCTL_${flag.toUpperCase().replaceAll("-", "_")}`;

/**
 * pkg/flags.SetPflagsFromEnv over the global flags: unset flags take ETCDCTL_<NAME>; an invalid value is
 * ignored (etcdctl discards that error); unknown ETCDCTL_ variables warn; a variable shadowed by a set flag is
 * fatal (exit 1). `extraKnown` are variables a command reads itself (watch's ETCDCTL_WATCH_KEY).
 */
export function applyEnv(fs: FlagSet, env: Record<string, string | undefined>, sink: Sink, extraKnown: string[] = []): void {
  const used = new Set<string>(extraKnown.filter((k) => env[k] !== undefined && env[k] !== ""));
  const shadowed = new Set<string>();
  for (const spec of fs.specs) {
    if (!GLOBAL_NAMES.has(spec.name)) continue;
    const key = envName(spec.name);
    if (fs.changed.has(spec.name)) {
      shadowed.add(key);
      continue;
    }
    const val = env[key];
    if (val === undefined || val === "") continue;
    used.add(key);
    try {
      fs.set(spec.name, val);
    } catch {
      // etcdctl ignores SetPflagsFromEnv's error
    }
  }
  for (const [k, v] of Object.entries(env)) {
    if (used.has(k)) continue;
    if (shadowed.has(k)) {
      sink.err(
        `${capnslogTime()} C | pkg/flags: conflicting environment variable "${k}" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)\n`,
      );
      throw new ExitCode(1);
    }
    if (k.startsWith("ETCDCTL_")) sink.err(`${capnslogTime()} W | pkg/flags: unrecognized environment variable ${k}=${v}\n`);
  }
}

export interface ClientConfig {
  endpoints: string[];
  dialTimeoutMs: number;
  commandTimeoutMs: number;
  tls?: ClientTlsOptions;
  auth?: { user: string; password: string };
}

function nonEmpty(fs: FlagSet, name: string): string {
  const v = fs.str(name);
  if (v === "" && fs.changed.has(name)) throw new CtlError(ExitBadArgs, `empty string is passed to --${name} option`);
  return v;
}

/** --debug: every global flag as ETCDCTL_<NAME>=<value> (pflag's value strings), sorted by name. */
export function debugDump(fs: FlagSet): string {
  return fs.specs
    .filter((s) => GLOBAL_NAMES.has(s.name))
    .map((s) => {
      const v = fs.values.get(s.name);
      const text = s.kind === "duration" ? goDuration(v as number) : s.kind === "stringSlice" ? `[${(v as string[]).join(",")}]` : String(v);
      return `${envName(s.name)}=${text}\n`;
    })
    .join("");
}

/** The client configuration from parsed (and env-filled) global flags, as etcdctl's clientConfigFromCmd. */
export function clientConfig(fs: FlagSet, sink: Sink = stdio, discovered: string[] = []): ClientConfig {
  const cert = nonEmpty(fs, "cert");
  const key = nonEmpty(fs, "key");
  const cacert = nonEmpty(fs, "cacert");
  const serverName = fs.bool("insecure-discovery") ? "" : fs.str("discovery-srv");
  let tls: ClientTlsOptions | undefined;
  const read = (p: string) => {
    try {
      return readFileSync(p);
    } catch (e) {
      throw new CtlError(ExitBadArgs, `open ${p}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
    }
  };
  if (cert || key || cacert || serverName) {
    tls = {
      ...(cacert ? { ca: read(cacert) } : {}),
      ...(cert ? { cert: read(cert) } : {}),
      ...(key ? { key: read(key) } : {}),
      ...(serverName ? { serverName } : {}),
    };
  }
  if (!tls && !fs.bool("insecure-transport")) tls = {};
  if (tls && fs.bool("insecure-skip-tls-verify")) tls.insecureSkipVerify = true;
  let auth: ClientConfig["auth"];
  const user = fs.str("user");
  if (user !== "") {
    const password = fs.str("password");
    if (password !== "") auth = { user, password };
    else {
      const at = user.indexOf(":");
      auth = at < 0 ? { user, password: askPassword(sink) } : { user: user.slice(0, at), password: user.slice(at + 1) };
    }
  }
  return {
    endpoints: discovered.length > 0 ? discovered : fs.list("endpoints").map((e) => e.trim()),
    dialTimeoutMs: fs.ms("dial-timeout"),
    commandTimeoutMs: fs.ms("command-timeout"),
    ...(tls ? { tls } : {}),
    ...(auth ? { auth } : {}),
  };
}
