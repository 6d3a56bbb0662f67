// Load generator process for tests/bench/server.ts (run it as its own process so the server keeps its core):
// N HTTP/2 connections × M concurrent streams, each stream issuing unary gRPC calls of one op back to back;
// a warm-up, then a measured window. Prints one JSON line: {op, calls, errors, seconds, p50Ms, p99Ms, cpu}
// (cpu = this process's CPU time / wall time: near 1.0 means the generator may be the bottleneck).
// Usage: bun generator.ts <endpoint> <op> <conns> <streams> <seconds> [keySpace]
import type { ClientHttp2Session } from "node:http2";
import { h2connect } from "../../rpc/support/raw_grpc.ts";
import { type Op, OPS, opBodies } from "./requests.ts";

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
let lat = new Float64Array(1 << 16);

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
    if (calls === lat.length) lat = Float64Array.from({ length: lat.length * 2 }, (_, i) => lat[i] ?? 0);
    lat[calls++] = performance.now() - t0;
  }
}

const run = (sessions: ClientHttp2Session[], ms: number, record: boolean) => {
  const until = performance.now() + ms;
  return Promise.all(sessions.flatMap((s) => Array.from({ length: streams }, () => stream(s, until, record))));
};

const sessions = await Promise.all(Array.from({ length: conns }, () => h2connect(endpoint)));
await run(sessions, 300, false);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await run(sessions, seconds * 1000, true);
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
for (const s of sessions) s.close();
const sorted = lat.subarray(0, calls).sort();
const pct = (p: number) => (calls ? sorted[Math.min(calls - 1, Math.floor(calls * p))] : NaN);
if (firstError) console.error(`generator: first error: ${firstError}`);
console.log(JSON.stringify({ op, calls, errors, seconds: elapsed, p50Ms: pct(0.5), p99Ms: pct(0.99), cpu: (cpu.user + cpu.system) / 1e6 / elapsed }));
process.exit(0);
