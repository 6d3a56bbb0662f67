// Metrics render in Prometheus text format under etcd's names, with stable label order.
import { expect, test } from "bun:test";
import { sampleProcess, serverMetrics } from "../../../engine/server/metrics.ts";

test("renders etcd's metric names, types, labels and histogram buckets", () => {
  const m = serverMetrics();
  m.hasLeader.set(1);
  m.proposalsApplied.inc(5);
  m.walFsync.observe(0.0015);
  m.grpcHandled.inc(1, { grpc_type: "unary", grpc_service: "etcdserverpb.KV", grpc_method: "Put", grpc_code: "OK" });
  const text = m.registry.render();
  expect(text).toContain("# TYPE etcd_server_has_leader gauge\netcd_server_has_leader 1\n");
  expect(text).toContain("etcd_server_proposals_applied_total 5\n");
  expect(text).toContain('etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 0\n');
  expect(text).toContain('etcd_disk_wal_fsync_duration_seconds_bucket{le="0.002"} 1\n');
  expect(text).toContain('etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} 1\n');
  expect(text).toContain('grpc_server_handled_total{grpc_code="OK",grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"} 1\n');
  // Every metric has HELP and TYPE lines, sorted by name.
  const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((x) => x[1]);
  expect(names).toEqual([...names].sort());
});

test("the process collector's metrics (etcdctl check datascale reads process_resident_memory_bytes)", () => {
  const m = serverMetrics();
  sampleProcess(m);
  const text = m.registry.render();
  const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]);
  expect(rss).toBeGreaterThan(1_000_000);
  expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  expect(text).toMatch(/^process_virtual_memory_bytes \d{7,}$/m);
});
