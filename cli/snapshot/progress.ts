// A one-line progress bar on stderr for long file operations, drawn only when stderr is a terminal and the
// work is large (nothing for pipes, logs or small files). Redraws at most ~10 times a second.

const MIN_BYTES = 64 * 1024 * 1024;

export interface Progress {
  advance(n: number): void;
  done(): void;
}

const SILENT: Progress = { advance: () => undefined, done: () => undefined };

export function progressBar(label: string, total: number): Progress {
  if (!process.stderr.isTTY || total < MIN_BYTES) return SILENT;
  let seen = 0;
  let last = 0;
  const draw = () => {
    const pct = total ? Math.min(100, Math.floor((100 * seen) / total)) : 100;
    const bar = "#".repeat(Math.floor(pct / 4)).padEnd(25, ".");
    process.stderr.write(`\r${label} [${bar}] ${pct}% ${(seen / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB`);
  };
  return {
    advance(n) {
      seen += n;
      const now = performance.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    done() {
      seen = total;
      draw();
      process.stderr.write("\n");
    },
  };
}
