// Snapshot save generator process for tests/bench/server.ts: Maintenance.Snapshot streamed into a file the way
// `etcdctl snapshot save` does it (blobs written as they arrive, then fsync), timed from the request to the
// fsync'ed close. Prints one JSON line: {bytes, seconds, cpu}; exits 1 if the call fails or nothing arrived.
// Usage: bun snapshot_save.ts <endpoint> <file>
import { fromBinary } from "@bufbuild/protobuf";
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { SnapshotResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../../rpc/grpc/framing.ts";
import { connectWide, openStream } from "./grpc_stream.ts";
import { cpuClock } from "./stats.ts";

const [endpoint, file] = [process.argv[2], process.argv[3]];
if (!endpoint || !file) {
  console.error("usage: snapshot_save.ts <endpoint> <file>");
  process.exit(2);
}
const session = await connectWide(endpoint);
const measured = cpuClock();
const fd = openSync(file, "w");
let bytes = 0;
const call = openStream(session, "/etcdserverpb.Maintenance/Snapshot", (msg) => {
  const blob = fromBinary(SnapshotResponseSchema, msg).blob;
  writeSync(fd, blob);
  bytes += blob.length;
});
call.send(encodeFrame(new Uint8Array(0)));
call.end();
const status = await call.done;
fsyncSync(fd);
closeSync(fd);
const { seconds, cpu } = measured();
session.close();
if (status !== "0" || bytes === 0) {
  console.error(`Snapshot: grpc-status ${status}, ${bytes} bytes`);
  process.exit(1);
}
console.log(JSON.stringify({ bytes, seconds, cpu }));
process.exit(0);
