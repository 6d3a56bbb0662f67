// etcd's request-logging interceptor and gRPC metrics on the compiled server: at --log-level debug every call is
// logged with its method, protocol, code and duration; at the default level nothing is; grpc_server_handled_total
// counts the calls by method and code either way.
import { afterAll, expect, test } from "bun:test";
import { startBunetcd } from "../support/bunetcd.ts";
import { tempDirs } from "../support/tmp.ts";

const dirs = tempDirs("bunetcd-reqlog-");
afterAll(() => dirs.cleanup());

for (const level of ["debug", "info"] as const) {
  test(`--log-level ${level}: request lines ${level === "debug" ? "written" : "left out"}, calls counted`, async () => {
    const m = await startBunetcd(dirs.make(level), ["--log-level", level]);
    try {
      expect((await m.etcdctl(["put", "k", "v"])).code).toBe(0);
      expect((await m.etcdctl(["get", "missing", "--rev", "99"])).code).not.toBe(0); // OutOfRange
      const line = /request etcdserverpb\.KV\/Put grpc OK took \d+\.\d{3}ms/;
      if (level === "debug") {
        expect(m.logTail()).toMatch(line);
        expect(m.logTail()).toMatch(/request etcdserverpb\.KV\/Range grpc OutOfRange took/);
      } else expect(m.logTail()).not.toMatch(/request etcdserverpb\./);
      const metrics = await (await fetch(`${m.endpoint}/metrics`)).text();
      expect(metrics).toMatch(/grpc_server_handled_total\{grpc_code="OK",grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"\} [1-9]/);
      expect(metrics).toMatch(/grpc_server_handled_total\{grpc_code="OutOfRange",grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"\} 1/);
    } finally {
      await m.stop();
    }
  }, 60_000);
}
