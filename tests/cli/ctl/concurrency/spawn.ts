// Test support for long-running client commands (lock, elect, make-mirror): a spawned process whose stdout
// and stderr are collected as they arrive, so a test can wait for a line, check that nothing has been
// printed yet, send a signal and collect the exit code. Every process started here must be ended by the test
// (end() sends SIGINT and waits; kill() is the fallback in a finally).
export interface Watched {
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches, rejects after timeoutMs (with what was printed). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends a signal (default SIGINT) and waits for the exit code. */
  end(signal?: NodeJS.Signals): Promise<number>;
  exited: Promise<number>;
  kill(): void;
}

export function spawnWatched(argv: string[], env: Record<string, string> = {}): Watched {
  const proc = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe", stdin: "ignore", env: { ...process.env, ETCDCTL_API: "3", ...env } });
  let out = "";
  let err = "";
  const drain = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    const dec = new TextDecoder();
    for await (const c of s) add(dec.decode(c, { stream: true }));
  };
  const drained = Promise.all([drain(proc.stdout, (t) => (out += t)), drain(proc.stderr, (t) => (err += t))]);
  const exited = proc.exited.then(async (code) => {
    await drained;
    return code;
  });
  return {
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(re, timeoutMs = 15_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const m = out.match(re);
        if (m) return m;
        if (performance.now() > deadline || proc.exitCode !== null) {
          throw new Error(`${argv.join(" ")}: no ${re} in stdout ${JSON.stringify(out)} (stderr ${JSON.stringify(err)}, exit ${proc.exitCode})`);
        }
        await Bun.sleep(20);
      }
    },
    async end(signal = "SIGINT") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
    kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    },
  };
}
