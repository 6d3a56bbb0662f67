// What etcdctl does when a --write-out format has no rendering for a result: ExitWithError(ExitBadFeature,
// "<format> not supported as output format"); and for `member promote` in any format but simple, where
// etcdctl 3.4 dereferences a nil printer, a Go panic (exit 2).
import { CtlError, ExitBadFeature } from "../errors.ts";

export function unsupported(format: string): never {
  throw new CtlError(ExitBadFeature, `${format} not supported as output format`);
}

export class GoPanic extends Error {
  constructor() {
    super("panic: runtime error: invalid memory address or nil pointer dereference");
  }
}
