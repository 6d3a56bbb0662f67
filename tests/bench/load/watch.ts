// Watch fan-out generator process for tests/bench/server.ts: W watchers on one hot key, spread over C HTTP/2
// connections (one Watch stream each, W/C watches per stream), and a writer on its own connection putting values
// to that key; every put must reach every watcher (n puts → n × W events). Phases, each waiting for all its events:
//   warm-up     a few puts, not counted;
//   throughput  N puts with P in flight: events/s = events received / (first put sent → last event received);
//   latency     L puts one at a time: per event, put sent → event received, and put acknowledged (the writer's
//               PutResponse, matched by mod_revision) → event received, which is 0 when the event came first.
// Prints one JSON line: {events, expected, seconds, sentP50Ms, sentP99Ms, ackP50Ms, ackP99Ms, beforeAck, cpu,
// error?} (beforeAck = share of latency-phase events that arrived before their put's ack; cpu = this process's CPU
// per wall second during the throughput phase); a phase gives up `timeout` seconds after its last put is
// acknowledged (error says how many events were missing).
// Usage: bun watch.ts <endpoint> <watchers> <conns> <puts> <inFlight> <latencyPuts> <valueBytes> [timeoutSeconds]
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { PutRequestSchema, PutResponseSchema, WatchRequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";
import { h2connect, rawGrpcCall, unframe } from "../../rpc/support/raw_grpc.ts";
import { connectWide, type GrpcStream, openStream } from "./grpc_stream.ts";
import { cpuClock, Samples } from "./stats.ts";
import { scanWatchResponse } from "./watch_scan.ts";

const [endpoint, watchers, conns, puts, inFlight, latencyPuts, valueBytes, timeoutArg] = [
  process.argv[2], ...process.argv.slice(3, 10).map(Number),
] as [string, number, number, number, number, number, number, number];
if (!endpoint || !(watchers > 0 && conns > 0 && puts > 0 && inFlight > 0 && latencyPuts > 0 && valueBytes >= 0)) {
  console.error("usage: watch.ts <endpoint> <watchers> <conns> <puts> <inFlight> <latencyPuts> <valueBytes> [timeoutSeconds]");
  process.exit(2);
}
const timeout = timeoutArg || 30;
const key = new TextEncoder().encode("bench-watch-hot");
const putBody = encodeFrame(toBinary(PutRequestSchema, create(PutRequestSchema, { key, value: new Uint8Array(valueBytes).fill(0x76) })));
const createBody = encodeFrame(toBinary(WatchRequestSchema, create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key } } })));

// events of the current phase: revision and arrival time, preallocated for the expected count
let expected = 0;
let received = 0;
let revs = new Float64Array(0);
let times = new Float64Array(0);
let allIn: () => void = () => undefined;
let created = 0;
let allCreated: () => void = () => undefined;

let now = 0;
function onEvent(rev: number): void {
  if (received < expected) {
    revs[received] = rev;
    times[received] = now;
  }
  if (++received === expected) allIn();
}

function onWatchMessage(msg: Uint8Array): void {
  now = performance.now();
  if (scanWatchResponse(msg, onEvent) && ++created === watchers) allCreated();
}

const sessions = await Promise.all(Array.from({ length: conns }, () => connectWide(endpoint)));
const created$ = new Promise<void>((resolve) => (allCreated = resolve));
const streams: GrpcStream[] = sessions.map((s, i) => {
  const st = openStream(s, "/etcdserverpb.Watch/Watch", onWatchMessage);
  for (let w = i; w < watchers; w += conns) st.send(createBody);
  return st;
});
if (!(await Promise.race([created$.then(() => true), Bun.sleep(timeout * 1000).then(() => false)]))) {
  console.error(`only ${created} of ${watchers} watches created within ${timeout} s`);
  process.exit(1);
}

const writer = await h2connect(endpoint);
/** Per revision: when its put was sent and when it was acknowledged. */
const sentAt = new Map<number, number>();
const ackAt = new Map<number, number>();

/** Puts `n` values with `concurrency` in flight, recording each revision's send and ack times. */
async function write(n: number, concurrency: number): Promise<void> {
  let sent = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < n) {
      sent++;
      const t = performance.now();
      const r = await rawGrpcCall(writer, "/etcdserverpb.KV/Put", putBody);
      const now = performance.now();
      if (r.status !== "0") throw new Error(`put failed: grpc-status ${r.status} ${r.message ?? ""}`);
      const rev = Number(fromBinary(PutResponseSchema, unframe(r.data)[0]).header?.revision ?? 0);
      sentAt.set(rev, t);
      ackAt.set(rev, now);
    }
  }));
}

let missing = "";

/** One phase: n puts, then wait for n × watchers events (or the timeout); returns when its first put was sent. */
async function phase(n: number, concurrency: number): Promise<number> {
  expected = n * watchers;
  received = 0;
  revs = new Float64Array(expected);
  times = new Float64Array(expected);
  sentAt.clear();
  ackAt.clear();
  const in$ = new Promise<void>((resolve) => (allIn = resolve));
  const t0 = performance.now();
  await write(n, concurrency);
  await Promise.race([in$, Bun.sleep(timeout * 1000)]);
  if (received < expected) missing ||= `${expected - received} of ${expected} events not received within ${timeout} s`;
  return t0;
}

await phase(Math.max(1, Math.min(20, Math.floor(puts / 10))), inFlight);
const measured = cpuClock();
const t0 = await phase(puts, inFlight);
const { cpu } = measured();
const events = Math.min(received, expected);
const seconds = ((events ? times[events - 1] : performance.now()) - t0) / 1000;
const throughput = { events, expected };

await phase(latencyPuts, 1);
const fromSent = new Samples();
const fromAck = new Samples();
let beforeAck = 0;
const got = Math.min(received, expected);
for (let i = 0; i < got; i++) {
  const ack = ackAt.get(revs[i]) ?? times[i];
  if (times[i] < ack) beforeAck++;
  fromAck.add(Math.max(0, times[i] - ack));
  fromSent.add(times[i] - (sentAt.get(revs[i]) ?? times[i]));
}
const [sentP50Ms, sentP99Ms] = fromSent.quantiles(0.5, 0.99);
const [ackP50Ms, ackP99Ms] = fromAck.quantiles(0.5, 0.99);
for (const st of streams) st.cancel();
for (const s of [...sessions, writer]) s.close();
console.log(JSON.stringify({
  ...throughput, seconds, sentP50Ms, sentP99Ms, ackP50Ms, ackP99Ms, beforeAck: got ? beforeAck / got : NaN, cpu, error: missing || undefined,
}));
process.exit(0);
