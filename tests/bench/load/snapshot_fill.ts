// Fills a server for the snapshot row (tests/bench/server.ts), as its own process: keys 0..n-1 of the load
// generator's key space (requests.ts: 8-byte keys, 256-byte values), each put once, through Txns of `batch` puts
// with 8 in flight, so both servers hold the same data. Prints one JSON line: {keys, seconds}; exits 1 on a failed
// Txn. Usage: bun snapshot_fill.ts <endpoint> <keys> [batch]
import { create, toBinary } from "@bufbuild/protobuf";
import { TxnRequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";
import { h2connect, rawGrpcCall } from "../../rpc/support/raw_grpc.ts";
import { key, VALUE_BYTES } from "./requests.ts";

const [endpoint, keys, batch] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 100)];
if (!endpoint || !(keys > 0 && batch > 0)) {
  console.error("usage: snapshot_fill.ts <endpoint> <keys> [batch]");
  process.exit(2);
}
const value = new Uint8Array(VALUE_BYTES).fill(0x76);
const txn = (from: number) => encodeFrame(toBinary(TxnRequestSchema, create(TxnRequestSchema, {
  success: Array.from({ length: Math.min(batch, keys - from) }, (_, i) => ({ request: { case: "requestPut" as const, value: { key: key(from + i), value } } })),
})));

const session = await h2connect(endpoint);
const t0 = performance.now();
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < keys) {
    const from = next;
    next += batch;
    const r = await rawGrpcCall(session, "/etcdserverpb.KV/Txn", txn(from));
    if (r.status !== "0") {
      console.error(`Txn of keys ${from}..: grpc-status ${r.status} ${r.message ?? ""}`);
      process.exit(1);
    }
  }
}));
session.close();
console.log(JSON.stringify({ keys, seconds: (performance.now() - t0) / 1000 }));
process.exit(0);
