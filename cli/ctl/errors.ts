// etcdctl's exit codes (etcdctl/ctlv3/command/error.go) and the one error type commands throw to end with
// `Error: <message>` on stderr and that code. Commands that print their own stderr lines and exit with a code
// (e.g. endpoint status) throw ExitCode instead.

export const ExitSuccess = 0;
export const ExitError = 1;
export const ExitBadConnection = 2;
export const ExitInvalidInput = 3;
export const ExitBadFeature = 4;
export const ExitInterrupted = 5;
export const ExitIO = 6;
export const ExitBadArgs = 128;

/** ExitWithError(code, err): prints "Error: message" and exits with code. */
export class CtlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** os.Exit(code) without a message (output already written). */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
