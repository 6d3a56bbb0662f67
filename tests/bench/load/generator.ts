// Load generator process for tests/bench/server.ts (run it as its own process so the server keeps its core):
// N HTTP/2 connections × M concurrent streams, each stream issuing unary gRPC calls of one op back to back;
// a warm-up, then a measured window. Prints one JSON line: {op, calls, errors, seconds, p50Ms, p99Ms, cpu}
// (cpu = this process's CPU time / wall time: near 1.0 means the generator may be the bottleneck); exits 1 when
// no call succeeded.
// Usage: bun generator.ts <endpoint> <op> <conns> <streams> <seconds> [keySpace]
import type { ClientHttp2Session } from "node:http2";
import { h2connect } from "../../rpc/support/raw_grpc.ts";
import { type Op, OPS, opBodies } from "./requests.ts";
import { cpuClock, Samples } from "./stats.ts";

const [endpoint, op, conns, streams, seconds, keySpace] = [
  process.argv[2], process.argv[3] as Op, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]), Number(process.argv[7] ?? 10_000),
];
if (!endpoint || !OPS.includes(op)) {
  console.error(`usage: generator.ts <endpoint> <${OPS.join("|")}> <conns> <streams> <seconds> [keySpace]`);
  process.exit(2);
}
const { path, bodies } = opBodies(op, keySpace);
const headers = { ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" };

let next = 0;
let calls = 0;
let errors = 0;
let firstError = "";
const lat = new Samples();

/** One call; resolves to true on grpc-status 0. */
function call(s: ClientHttp2Session): Promise<boolean> {
  return new Promise((resolve) => {
    const req = s.request(headers);
    let status: unknown;
    req.on("response", (h) => (status = h["grpc-status"]));
    req.on("trailers", (t) => (status = t["grpc-status"]));
    req.on("data", () => undefined);
    req.on("end", () => resolve(status === "0" || (firstError ||= `grpc-status ${String(status)}`) === ""));
    req.on("error", (e) => resolve((firstError ||= String(e)) === ""));
    req.end(bodies[next++ % bodies.length]);
  });
}

async function stream(s: ClientHttp2Session, until: number, record: boolean): Promise<void> {
  while (performance.now() < until) {
    const t0 = performance.now();
    const ok = await call(s);
    if (!record) continue;
    if (!ok) {
      errors++;
      continue;
    }
    calls++;
    lat.add(performance.now() - t0);
  }
}

const run = (sessions: ClientHttp2Session[], ms: number, record: boolean) => {
  const until = performance.now() + ms;
  return Promise.all(sessions.flatMap((s) => Array.from({ length: streams }, () => stream(s, until, record))));
};

const sessions = await Promise.all(Array.from({ length: conns }, () => h2connect(endpoint)));
await run(sessions, 300, false);
const measured = cpuClock();
await run(sessions, seconds * 1000, true);
const { seconds: elapsed, cpu } = measured();
for (const s of sessions) s.close();
const [p50Ms, p99Ms] = lat.quantiles(0.5, 0.99);
if (firstError) console.error(`generator: first error: ${firstError}`);
console.log(JSON.stringify({ op, calls, errors, seconds: elapsed, p50Ms, p99Ms, cpu }));
process.exit(calls ? 0 : 1); // no successful call: fail, with the first error on stderr
