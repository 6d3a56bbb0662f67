// Load generator for tests/bench/grpc.ts, run as its own process: N HTTP/2 connections × M concurrent streams
// issuing unary calls back to back for a fixed time. Modes: "grpc" (framed PutRequest, application/grpc) and
// "connect" (raw PutRequest, application/proto). Prints one JSON line: {calls, errors, seconds}.
// Usage: bun h2_load.ts <origin> <conns> <streams> <seconds> <grpc|connect>
import { connect, type ClientHttp2Session } from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { PutRequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";

const [origin, conns, streams, seconds, mode] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]), process.argv[6] ?? "grpc"];
const put = toBinary(PutRequestSchema, create(PutRequestSchema, { key: new TextEncoder().encode("bench-key"), value: new Uint8Array(16).fill(118) }));
const grpc = mode === "grpc";
const body = grpc ? encodeFrame(put) : put;
const headers = grpc
  ? { ":method": "POST", ":path": "/etcdserverpb.KV/Put", "content-type": "application/grpc", te: "trailers" }
  : { ":method": "POST", ":path": "/etcdserverpb.KV/Put", "content-type": "application/proto", "connect-protocol-version": "1" };

let calls = 0;
let errors = 0;

function call(s: ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    const req = s.request(headers);
    let status: unknown;
    req.on("response", (h) => (status = grpc ? h["grpc-status"] : h[":status"]));
    req.on("trailers", (t) => (status = t["grpc-status"]));
    req.on("data", () => {});
    req.on("end", () => {
      if (status === (grpc ? "0" : 200)) calls++;
      else if (errors++ === 0) console.error(`first failed call: status ${String(status)}`);
      resolve();
    });
    req.on("error", (e) => {
      if (errors++ === 0) console.error(`first error: ${e}`);
      resolve();
    });
    req.end(body);
  });
}

const sessions = await Promise.all(
  Array.from({ length: conns }, () => new Promise<ClientHttp2Session>((resolve, reject) => {
    const s = connect(origin);
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  })),
);
// warm-up, then measure
const warmEnd = performance.now() + 300;
await Promise.all(sessions.flatMap((s) => Array.from({ length: streams }, async () => { while (performance.now() < warmEnd) await call(s); })));
calls = 0;
errors = 0;
const t0 = performance.now();
const end = t0 + seconds * 1000;
await Promise.all(sessions.flatMap((s) => Array.from({ length: streams }, async () => { while (performance.now() < end) await call(s); })));
const elapsed = (performance.now() - t0) / 1000;
for (const s of sessions) s.close();
console.log(JSON.stringify({ calls, errors, seconds: elapsed }));
process.exit(0);
