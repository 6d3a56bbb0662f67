// signal.Notify(sigc, SIGINT, SIGTERM) for the long-running recipe commands (lock, elect): while
// installed, SIGINT/SIGTERM do not kill the process but abort `signal` (the command's ctx) once.
// Invariant: dispose() removes the handlers (default signal behaviour comes back).
import { exitWithError } from "./exit_error.ts";

export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

export function onInterrupt(): Interrupt {
  const abort = new AbortController();
  const handler = () => abort.abort();
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: abort.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

/** Resolves when the signal aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** etcdctl's `select { case <-donec: case <-s.Done(): }`: waits for the interrupt; throws `expired` if the session ends first. */
export async function holdUntilInterrupted(signal: AbortSignal, sessionDone: Promise<void>, expired: string): Promise<void> {
  const which = await Promise.race([aborted(signal).then(() => "signal"), sessionDone.then(() => "expired")]);
  if (which === "expired") throw new Error(expired);
}

/**
 * etcdctl's shape of lock/elect: open the session (`prepare`; a signal still kills the process meanwhile),
 * then run `body` under onInterrupt(); any failure ends as ExitWithError(ExitError, err).
 */
export async function runInterruptible<S>(prepare: () => Promise<S>, body: (s: S, signal: AbortSignal) => Promise<void>): Promise<void> {
  let intr: Interrupt | undefined;
  try {
    const s = await prepare();
    intr = onInterrupt();
    await body(s, intr.signal);
  } catch (e) {
    exitWithError(e);
  } finally {
    intr?.dispose();
  }
}
