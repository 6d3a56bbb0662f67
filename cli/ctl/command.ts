// One etcdctl command = one CtlCommand (path, usage text, local flags, run), registered in registry.ts.
// CommandContext is what run() gets: positional args, the parsed flags (local + global), output sink, and
// etcdctl's lazy steps in etcdctl's order: client() applies ETCDCTL_* env, builds the client config and
// selects the printer (so a bad --write-out fails only once the command reaches the cluster, as in etcdctl).
import { CtlClient } from "./client.ts";
import { CtlError, ExitBadConnection, ExitBadFeature, ExitError } from "./errors.ts";
import type { FlagSet, FlagSpec } from "./flags.ts";
import { applyEnv, type ClientConfig, clientConfig, debugDump } from "./global_flags.ts";
import { AuthError, RpcError } from "./grpc_errors.ts";
import type { Sink } from "./io.ts";
import { newPrinter } from "./printer/index.ts";
import type { Printer } from "./printer/types.ts";

export interface CtlCommand {
  /** e.g. ["lease", "grant"] */
  path: string[];
  /** cobra Use: the name then the argument synopsis, e.g. "grant <ttl>" */
  use: string;
  short: string;
  long?: string;
  flags?: FlagSpec[];
  /** Environment variables the command reads itself (not reported as unrecognized ETCDCTL_ variables). */
  env?: string[];
  run(ctx: CommandContext): Promise<void>;
}

export interface ContextInit {
  args: string[];
  flags: FlagSet;
  sink: Sink;
  env: Record<string, string | undefined>;
  /** the whole command line after the program name (etcdctl's watch reads os.Args) */
  argv: string[];
  /** invoked as etcdctl: no bunetcd extras */
  strict: boolean;
  readStdin(): Promise<Uint8Array>;
  command: CtlCommand;
}

export class CommandContext {
  readonly args: string[];
  readonly flags: FlagSet;
  readonly sink: Sink;
  readonly strict: boolean;
  private printer: Printer | undefined;
  private cfg: ClientConfig | undefined;
  private cli: CtlClient | undefined;

  constructor(readonly init: ContextInit) {
    this.args = init.args;
    this.flags = init.flags;
    this.sink = init.sink;
    this.strict = init.strict;
  }

  get commandTimeoutMs(): number {
    return this.flags.ms("command-timeout");
  }

  /** SetPflagsFromEnv, --debug's flag dump, initDisplayFromCmd. */
  envAndDisplay(): Printer {
    if (!this.printer) {
      applyEnv(this.flags, this.init.env, this.sink, this.init.command.env);
      if (this.flags.bool("debug")) this.sink.err(debugDump(this.flags));
      const p = newPrinter(this.flags.str("write-out"), this.flags.bool("hex"), this.sink, !this.strict);
      if (!p) throw new CtlError(ExitBadFeature, "unsupported output format");
      this.printer = p;
    }
    return this.printer;
  }

  /** clientConfigFromCmd: env, endpoints (discovered ones with --discovery-srv), TLS, auth, display. */
  config(): ClientConfig {
    if (!this.cfg) {
      this.envAndDisplay();
      this.cfg = clientConfig(this.flags, this.sink, this.discovered);
    }
    return this.cfg;
  }

  /** Endpoints found by DNS SRV discovery (set by the dispatcher before run when --discovery-srv is given). */
  discovered: string[] = [];

  /** mustClientFromCmd. */
  client(): CtlClient {
    this.cli ??= new CtlClient(this.config(), this.sink);
    return this.cli;
  }

  newClient(endpoints: string[]): CtlClient {
    return new CtlClient({ ...this.config(), endpoints }, this.sink);
  }

  get display(): Printer {
    return this.envAndDisplay();
  }

  readStdin(): Promise<Uint8Array> {
    return this.init.readStdin();
  }
}

/**
 * Runs an RPC and turns its failure into ExitWithError(code, wrap(message)); a failure to authenticate is
 * clientv3.New's (ExitBadConnection, unwrapped), as etcdctl authenticates while creating the client.
 */
export async function must<T>(p: Promise<T>, code = ExitError, wrap: (m: string) => string = (m) => m): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof AuthError) throw new CtlError(ExitBadConnection, e.message);
    if (e instanceof RpcError) throw new CtlError(code, wrap(e.message));
    throw e;
  }
}

export const utf8Bytes = (s: string) => new TextEncoder().encode(s);
