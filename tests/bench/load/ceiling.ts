// The load generator's own ceiling: drive a bare node:http2 gRPC handler (tests/rpc/support/grpc_bench_server.ts
// "bare": no protobuf, no storage) with the same shape; if that rate is far above a server's, the generator is
// not what limits the server's figure.
import { join } from "node:path";
import { type LoadShape, runLoad } from "./run.ts";

export async function generatorCeiling(shape: LoadShape): Promise<number> {
  const script = join(import.meta.dir, "../../rpc/support/grpc_bench_server.ts");
  const proc = Bun.spawn([process.execPath, script, "bare"], { stdout: "pipe", stderr: "inherit" });
  try {
    const reader = proc.stdout.getReader();
    let origin = "";
    while (!origin.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("bare gRPC server exited early");
      origin += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    const r = await runLoad(origin.trim(), "put", shape);
    return r.calls / r.seconds;
  } finally {
    proc.kill();
    await proc.exited;
  }
}
