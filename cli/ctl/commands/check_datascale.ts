// etcdctl check datascale (check.go): read the first endpoint's resident memory (/metrics), put the model's
// number of 512-byte random keys with 512-byte values under --prefix with N clients (a progress bar counting
// requests), read the memory again, delete the prefix (optionally compact/defrag) and print the difference:
// "PASS: Approximate system memory used : <MB> MB." or the errors (exit 1).
import { checkFlags } from "../check/flags.ts";
import { endpointMemoryMetrics } from "../check/memory_metrics.ts";
import { ProgressBar } from "../check/progress_bar.ts";
import { Report } from "../check/report.ts";
import { setUpCheck } from "../check/setup.ts";
import { OpQueue, randomKey, runWorkers } from "../check/workload.ts";
import type { CtlCommand } from "../command.ts";
import { ExitCode, ExitError } from "../errors.ts";

const MODELS: Record<string, { limit: number; kvSize: number; clients: number }> = {
  s: { limit: 10000, kvSize: 1024, clients: 50 },
  m: { limit: 100000, kvSize: 1024, clients: 200 },
  l: { limit: 1000000, kvSize: 1024, clients: 500 },
  xl: { limit: 3000000, kvSize: 1024, clients: 1000 },
};

export const checkDatascaleCommand: CtlCommand = {
  path: ["check", "datascale"],
  use: "datascale [options]",
  short: "Check the memory usage of holding data for different workloads on a given server endpoint.",
  long: "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.",
  flags: checkFlags("datascale", "/etcdctl-check-datascale/"),
  async run(ctx) {
    const { cfg, prefix, clients, line, cleanUp, printErrors } = await setUpCheck(ctx, MODELS, () => null);
    const conf = ctx.config();
    const certs = { cert: ctx.flags.str("cert"), key: ctx.flags.str("key") };
    const memory = () => endpointMemoryMetrics(conf.endpoints[0]!, conf, certs, ctx.sink);
    const before = await memory();
    if (before === 0) {
      line("FAIL: Could not read process_resident_memory_bytes before the put operations.");
      throw new ExitCode(ExitError);
    }
    line(`Start data scale check for work load [${cfg.limit} key-value pairs, ${cfg.kvSize} bytes per key-value, ${cfg.clients} concurrent clients].`);
    const bar = new ProgressBar(cfg.limit, ctx.sink).start();
    const report = new Report();
    const queue = new OpQueue<Uint8Array>(cfg.clients);
    const workers = runWorkers(clients, queue, new Uint8Array(512), report, () => bar.add(1));
    const key = new TextEncoder().encode(prefix);
    void (async () => {
      for (let i = 0; i < cfg.limit; i++) await queue.put(randomKey(key, 512));
      queue.close();
    })();
    report.begin();
    await workers;
    const s = report.end();
    bar.finish();
    const after = await memory();
    if (after === 0) {
      line("FAIL: Could not read process_resident_memory_bytes after the put operations.");
      throw new ExitCode(ExitError);
    }
    await cleanUp();
    if (printErrors(s)) throw new ExitCode(ExitError);
    line(`PASS: Approximate system memory used : ${((after - before) / (1024 * 1024)).toFixed(2)} MB.`);
  },
};
