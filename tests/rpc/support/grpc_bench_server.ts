// Server process for tests/bench/grpc.ts: "bare" is a minimal node:http2 gRPC unary handler (the ceiling: no
// protobuf, no routing, no sniffing); "rpc" is RpcServer with a trivial KV.Put (decodes the PutRequest, returns a
// constant PutResponse) reached through protocol sniffing and the gRPC fast path, or through the Connect universal
// handler for Connect-protocol load. Prints the origin on stdout, then serves until killed.
// Usage: bun grpc_bench_server.ts <bare|rpc>
import { create } from "@bufbuild/protobuf";
import { createServer, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { KV, PutResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { RpcServer } from "../../../rpc/server/rpc_server.ts";

const kind = process.argv[2];
if (kind === "bare") {
  const empty = new Uint8Array(5);
  const srv = createServer();
  srv.on("stream", (stream: ServerHttp2Stream) => {
    stream.on("data", () => {});
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(empty);
    });
  });
  srv.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${(srv.address() as AddressInfo).port}`));
} else {
  const response = create(PutResponseSchema, {});
  const srv = new RpcServer().service(KV, { put: () => response });
  console.log((await srv.listen("http://127.0.0.1:0")).origin);
}
