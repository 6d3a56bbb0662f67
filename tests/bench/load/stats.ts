// Measurement helpers shared by the load generator processes: latency samples in a growable Float64Array with
// p50/p99, and the process's CPU use over a window (CPU seconds per wall second: near 1.0 means the generator
// itself may be the bottleneck).

export class Samples {
  private xs = new Float64Array(1 << 16);
  count = 0;

  add(x: number): void {
    if (this.count === this.xs.length) {
      const grown = new Float64Array(this.xs.length * 2);
      grown.set(this.xs);
      this.xs = grown;
    }
    this.xs[this.count++] = x;
  }

  /** The p-quantile (0..1) of the samples so far; NaN when there are none. */
  quantiles(...ps: number[]): number[] {
    const sorted = this.xs.slice(0, this.count).sort();
    return ps.map((p) => (this.count ? sorted[Math.min(this.count - 1, Math.floor(this.count * p))] : NaN));
  }
}

/** Starts a CPU/wall clock; the returned function gives {seconds, cpu} since the start. */
export function cpuClock(): () => { seconds: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(cpu0);
    return { seconds, cpu: (c.user + c.system) / 1e6 / seconds };
  };
}
