// Lease keep-alive generator process for tests/bench/server.ts: grants L leases (TTL 600 s, so none expires during
// a run; granted through unary LeaseGrant, 10 in flight, not measured), then opens S LeaseKeepAlive streams, one per
// HTTP/2 connection, each owning L/S of the leases: a stream first sends one keep-alive for each of its leases and
// then one more for every response, going round its leases in order (etcd answers a stream's keep-alives in order,
// so that is the lease just answered), so each stream always has L/S keep-alives in flight and the server sets the
// pace; the requests that one burst of responses triggers go out in one write. Responses are only scanned for TTL (no decode).
// Warm-up, then a measured window of keep-alive responses.
// Prints one JSON line: {calls, seconds, cpu, error?} (calls = keep-alive responses with TTL > 0 in the window).
// Usage: bun keepalive.ts <endpoint> <leases> <streams> <seconds>
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  LeaseGrantRequestSchema, LeaseGrantResponseSchema, LeaseKeepAliveRequestSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";
import { h2connect, rawGrpcCall, unframe } from "../../rpc/support/raw_grpc.ts";
import { type GrpcStream, openStream } from "./grpc_stream.ts";
import { cpuClock } from "./stats.ts";
import { varintField } from "./wire.ts";

const [endpoint, leases, streamCount, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
if (!endpoint || !(leases > 0 && streamCount > 0 && seconds > 0)) {
  console.error("usage: keepalive.ts <endpoint> <leases> <streams> <seconds>");
  process.exit(2);
}

const sessions = await Promise.all(Array.from({ length: streamCount }, () => h2connect(endpoint)));
const grantBody = encodeFrame(toBinary(LeaseGrantRequestSchema, create(LeaseGrantRequestSchema, { TTL: 600n })));
const ids: bigint[] = [];
let requested = 0;
await Promise.all(Array.from({ length: 10 }, async (_, w) => {
  while (requested++ < leases) {
    const r = await rawGrpcCall(sessions[w % sessions.length], "/etcdserverpb.Lease/LeaseGrant", grantBody);
    if (r.status !== "0") throw new Error(`LeaseGrant: grpc-status ${r.status} ${r.message ?? ""}`);
    ids.push(fromBinary(LeaseGrantResponseSchema, unframe(r.data)[0]).ID);
  }
}));

const keepAlive = (id: bigint) => encodeFrame(toBinary(LeaseKeepAliveRequestSchema, create(LeaseKeepAliveRequestSchema, { ID: id })));
const TTL_FIELD = 3; // LeaseKeepAliveResponse.TTL; 0 = lease not found
let counting = false;
let calls = 0;
let expired = 0;
let running = true;

const streams: GrpcStream[] = sessions.map((s, i) => {
  const mine = ids.filter((_, l) => l % streamCount === i).map(keepAlive);
  let next = 0;
  let pending: Uint8Array[] = [];
  const flush = () => {
    if (running && pending.length) st.send(Buffer.concat(pending));
    pending = [];
  };
  const st: GrpcStream = openStream(s, "/etcdserverpb.Lease/LeaseKeepAlive", (msg) => {
    if (varintField(msg, TTL_FIELD) <= 0) expired++;
    else if (counting) calls++;
    if (pending.push(mine[next++ % mine.length]) === 1) queueMicrotask(flush);
  });
  st.send(Buffer.concat(mine));
  return st;
});

const failed = Promise.race(streams.map((st) => st.done.then((status) => `keep-alive stream ended early: ${status}`)));
const sleep = (ms: number) => Promise.race([Bun.sleep(ms).then(() => ""), failed]);
let error = await sleep(500);
const measured = cpuClock();
counting = true;
error ||= await sleep(seconds * 1000);
counting = false;
const { seconds: elapsed, cpu } = measured();
running = false;
for (const st of streams) st.cancel();
for (const s of sessions) s.close();
if (expired) error ||= `${expired} keep-alive responses with TTL ≤ 0 (lease not found)`;
console.log(JSON.stringify({ calls, seconds: elapsed, cpu, error: error || undefined }));
process.exit(0);
