// The library's serve(): the bunetcd server (startServer, serve.ts) started inside the calling process on a
// data directory, configured as the command line would configure it (etcd's flags, defaults and checks; the
// process environment is not read). Resolves once the client URLs are bound; port 0 binds a free port and
// the handle's url carries it. No signal handlers are installed: the caller stops it with close().
import { createServer, type AddressInfo } from "node:net";
import { loggerFor, type LogOption } from "../../engine/embed/log_option.ts";
import { readConfig, type ServerConfig, validateConfig } from "./config.ts";
import { FlagError } from "./parse_flags.ts";
import { startServer } from "./serve.ts";

export interface ServeOptions {
  /** The data directory (etcd --data-dir). */
  dir: string;
  /**
   * Client URLs to listen on: "host:port" (http) or http:// / https:// URLs; port 0 picks a free port.
   * Default "127.0.0.1:2379".
   */
  listen?: string | string[];
  /** Client URLs advertised to the cluster (etcd --advertise-client-urls); default: the listen URLs. */
  advertise?: string[];
  /** Member name (etcd --name; default "default"). */
  name?: string;
  /** Certificate and key for https:// listen URLs, and optional client-certificate checking. */
  tls?: { certFile: string; keyFile: string; trustedCaFile?: string; clientCertAuth?: boolean };
  /** Any other etcd server flags, as on the command line, e.g. ["--snapshot-count", "5000"]. */
  args?: string[];
  /** Logging; default: errors only, on stderr. */
  log?: LogOption;
}

export interface ServeHandle {
  /** The first client URL, with the port actually bound (e.g. "http://127.0.0.1:41379"). */
  readonly url: string;
  /** Every client URL, as bound. */
  readonly urls: string[];
  /** Stops accepting, ends open calls, stops the member and releases the directory. Idempotent. */
  close(): Promise<void>;
  /** close(), for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const asUrl = (u: string) => (/^[a-z]+:\/\//.test(u) ? u : `http://${u}`);

/** A port the OS calls free on host now (bound and released; another process could take it in between). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Listen URLs with port 0 get a concrete free port before the member starts: the member publishes its client
 * URLs (member list) before the listeners bind, and ":0" is not an address a client can use.
 */
async function withPorts(listen: string[]): Promise<string[]> {
  return Promise.all(
    listen.map(async (raw) => {
      const u = new URL(raw);
      if (u.port !== "0") return raw;
      u.port = String(await freePort(u.hostname.replace(/^\[(.*)\]$/, "$1")));
      return u.origin;
    }),
  );
}

function flags(o: ServeOptions, listen: string[]): string[] {
  const args = ["--data-dir", o.dir, "--listen-client-urls", listen.join(","), "--advertise-client-urls", (o.advertise ?? listen).map(asUrl).join(",")];
  if (o.name) args.push("--name", o.name, "--initial-cluster", `${o.name}=http://localhost:2380`);
  if (o.tls) {
    args.push("--cert-file", o.tls.certFile, "--key-file", o.tls.keyFile);
    if (o.tls.trustedCaFile) args.push("--trusted-ca-file", o.tls.trustedCaFile);
    if (o.tls.clientCertAuth) args.push("--client-cert-auth");
  }
  return [...args, ...(o.args ?? [])];
}

/** Starts a bunetcd server in this process; see ServeOptions. */
export async function serve(opts: ServeOptions): Promise<ServeHandle> {
  if (!opts.dir) throw new TypeError("bunetcd: serve() needs a data directory ({ dir })");
  let cfg: ServerConfig;
  try {
    const listen = await withPorts((Array.isArray(opts.listen) ? opts.listen : [opts.listen ?? "127.0.0.1:2379"]).map(asUrl));
    cfg = readConfig(flags(opts, listen), {});
    validateConfig(cfg);
  } catch (e) {
    throw e instanceof FlagError ? new TypeError(`bunetcd: serve(): ${e.message}`) : e;
  }
  let lastError = "";
  const running = await startServer(cfg, loggerFor(opts.log, (line) => (lastError = line)));
  if (typeof running === "number") throw new Error(`bunetcd: serve() failed: ${lastError.replace(/^.* E \| /, "")}`);
  let closing: Promise<void> | undefined;
  const urls = running.urls.map((u) => u.origin);
  const close = () => (closing ??= running.close());
  return { url: urls[0]!, urls, close, [Symbol.asyncDispose]: close };
}
