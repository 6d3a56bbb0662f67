// How the recipe commands end on a failure: etcdctl's ExitWithError(ExitError, err) prints the error's text
// (an RPC error as etcdctl words it, "context canceled", "session expired", …) and exits 1.
import { CtlError, ExitCode, ExitError } from "../errors.ts";

export function exitWithError(e: unknown): never {
  if (e instanceof CtlError || e instanceof ExitCode) throw e;
  throw new CtlError(ExitError, e instanceof Error ? e.message : String(e));
}
