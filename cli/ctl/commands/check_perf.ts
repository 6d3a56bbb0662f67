// etcdctl check perf (check.go): for the model's duration (60 s), N clients put 256-byte random keys with
// 1 KiB values under --prefix at the model's rate (a token bucket of burst 1), with pb's progress bar ticking
// once a second; then the prefix is deleted (optionally compacted/defragmented) and the verdict printed:
// throughput > 90% of the target rate, slowest request <= 500 ms, stddev <= 100 ms. Exit 1 on FAIL.
import { checkFlags } from "../check/flags.ts";
import { ProgressBar } from "../check/progress_bar.ts";
import { Report } from "../check/report.ts";
import { setUpCheck } from "../check/setup.ts";
import { OpQueue, randomKey, runWorkers } from "../check/workload.ts";
import type { CtlCommand } from "../command.ts";
import { ExitCode, ExitError } from "../errors.ts";

const MODELS: Record<string, { limit: number; clients: number; duration: number }> = {
  s: { limit: 150, clients: 50, duration: 60 },
  m: { limit: 1000, clients: 200, duration: 60 },
  l: { limit: 8000, clients: 500, duration: 60 },
  xl: { limit: 15000, clients: 1000, duration: 60 },
};

/** rate.NewLimiter(limit, 1) + Wait until the deadline: evenly spaced tokens, the first at once. */
async function produce(queue: OpQueue<Uint8Array>, prefix: Uint8Array, limit: number, durationMs: number): Promise<void> {
  const deadline = performance.now() + durationMs;
  for (let next = performance.now(); next <= deadline; next += 1000 / limit) {
    const wait = next - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    await queue.put(randomKey(prefix, 256));
  }
  queue.close();
}

export const checkPerfCommand: CtlCommand = {
  path: ["check", "perf"],
  use: "perf [options]",
  short: "Check the performance of the etcd cluster",
  flags: checkFlags("performance", "/etcdctl-check-perf/"),
  async run(ctx) {
    const { cfg, prefix, clients, line, cleanUp, printErrors } = await setUpCheck(ctx, MODELS, (m) => m.duration * 1000);
    const bar = new ProgressBar(cfg.duration, ctx.sink).start();
    const report = new Report();
    const queue = new OpQueue<Uint8Array>(cfg.clients);
    const workers = runWorkers(clients, queue, new Uint8Array(1024), report);
    void produce(queue, new TextEncoder().encode(prefix), cfg.limit, cfg.duration * 1000);
    let ticks = 0;
    const ticker = setInterval(() => {
      bar.add(1);
      if (++ticks === cfg.duration) {
        clearInterval(ticker);
        bar.finish();
      }
    }, 1000);
    report.begin();
    await workers;
    const s = report.end();
    await cleanUp();
    clearInterval(ticker);
    bar.stop();
    let ok = !printErrors(s);
    const rps = Math.trunc(s.rps) + 1;
    if (s.rps / cfg.limit <= 0.9) {
      line(`FAIL: Throughput too low: ${rps} writes/s`);
      ok = false;
    } else line(`PASS: Throughput is ${rps} writes/s`);
    if (s.slowest > 0.5) {
      line(`Slowest request took too long: ${s.slowest.toFixed(6)}s`);
      ok = false;
    } else line(`PASS: Slowest request took ${s.slowest.toFixed(6)}s`);
    if (s.stddev > 0.1) {
      line(`Stddev too high: ${s.stddev.toFixed(6)}s`);
      ok = false;
    } else line(`PASS: Stddev is ${s.stddev.toFixed(6)}s`);
    if (ok) line("PASS");
    else {
      line("FAIL");
      throw new ExitCode(ExitError);
    }
  },
};
