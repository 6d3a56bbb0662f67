// pkg/report's Stats as etcdctl's check commands use them: every request's latency or error; the clock runs
// from begin() (Stats() being called) to end() (the results channel closed). RPS counts successful requests
// only; Stddev is the population deviation of their latencies (NaN without any, as Go computes it).
export interface Stats {
  rps: number;
  slowest: number;
  stddev: number;
  /** error text → count, in first-seen order */
  errorDist: Map<string, number>;
}

export class Report {
  private readonly lats: number[] = [];
  private readonly errors = new Map<string, number>();
  private began = 0;

  begin(): void {
    this.began = performance.now();
  }

  /** One request: its start/end (performance.now() ms) or its error text. */
  add(startMs: number, endMs: number, err?: string): void {
    if (err !== undefined) this.errors.set(err, (this.errors.get(err) ?? 0) + 1);
    else this.lats.push((endMs - startMs) / 1000);
  }

  end(): Stats {
    const totalSec = (performance.now() - this.began) / 1000;
    const n = this.lats.length;
    const avg = this.lats.reduce((a, b) => a + b, 0) / n;
    const stddev = Math.sqrt(this.lats.reduce((a, l) => a + (l - avg) ** 2, 0) / n);
    let slowest = 0;
    for (const l of this.lats) if (l > slowest) slowest = l;
    return { rps: n / totalSec, slowest, stddev, errorDist: this.errors };
  }
}
