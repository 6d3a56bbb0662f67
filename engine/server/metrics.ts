// Prometheus metrics in the text exposition format, under etcd's metric names, for `GET /metrics`.
// Counters and gauges hold one value per label set; histograms use etcd's buckets (powers of two from
// 1 ms for disk latencies). Rendering sorts label sets so output is stable.
import { readFileSync } from "node:fs";

type Labels = Record<string, string>;

/** Rendered label sets by their raw form: a per-call counter (grpc_server_handled_total) renders each set once. */
const rendered = new Map<string, string>();

/** Frozen label objects seen before: a hot caller that keeps one frozen set per series skips building its raw form. */
const byObject = new WeakMap<Labels, string>();

function labelKey(l: Labels): string {
  const known = byObject.get(l);
  if (known !== undefined) return known;
  let raw = "";
  for (const k in l) raw += `${k}\0${l[k]}\0`;
  if (raw === "") return "";
  let r = rendered.get(raw);
  if (r === undefined) {
    r = `{${Object.keys(l).sort().map((k) => `${k}=${JSON.stringify(l[k])}`).join(",")}}`;
    rendered.set(raw, r);
  }
  if (Object.isFrozen(l)) byObject.set(l, r);
  return r;
}

abstract class Metric {
  constructor(readonly name: string, readonly help: string, readonly type: "counter" | "gauge" | "histogram") {}
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join("\n");
  }
}

export class Gauge extends Metric {
  private readonly values = new Map<string, number>();
  constructor(name: string, help: string, type: "counter" | "gauge" = "gauge") {
    super(name, help, type);
  }
  set(v: number, labels: Labels = {}): void {
    this.values.set(labelKey(labels), v);
  }
  inc(by = 1, labels: Labels = {}): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  lines(): string[] {
    const keys = [...this.values.keys()].sort();
    if (keys.length === 0) return [`${this.name} 0`];
    return keys.map((k) => `${this.name}${k} ${this.values.get(k)}`);
  }
}

/** A counter: a gauge that only goes up, typed "counter". */
export class Counter extends Gauge {
  constructor(name: string, help: string) {
    super(name, help, "counter");
  }
}

export class Histogram extends Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(name: string, help: string, readonly buckets: number[]) {
    super(name, help, "histogram");
    this.counts = buckets.map(() => 0);
  }
  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (seconds <= this.buckets[i]) this.counts[i]++;
  }
  lines(): string[] {
    return [
      ...this.buckets.map((b, i) => `${this.name}_bucket{le="${b}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ];
  }
}

/** etcd's disk latency buckets: 1 ms doubling 14 times (to 8.192 s). */
export const DISK_BUCKETS = Array.from({ length: 14 }, (_, i) => 0.001 * 2 ** i);

export class Registry {
  private readonly metrics: Metric[] = [];
  add<M extends Metric>(m: M): M {
    this.metrics.push(m);
    return m;
  }
  render(): string {
    return [...this.metrics].sort((a, b) => (a.name < b.name ? -1 : 1)).map((m) => m.render()).join("\n") + "\n";
  }
}

/** The server's metrics, with etcd's names and help texts. */
export function serverMetrics(r = new Registry()) {
  return {
    registry: r,
    hasLeader: r.add(new Gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.")),
    isLeader: r.add(new Gauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.")),
    leaderChanges: r.add(new Counter("etcd_server_leader_changes_seen_total", "The number of leader changes seen.")),
    proposalsCommitted: r.add(new Gauge("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.")),
    proposalsApplied: r.add(new Gauge("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.")),
    proposalsPending: r.add(new Gauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.")),
    proposalsFailed: r.add(new Counter("etcd_server_proposals_failed_total", "The total number of failed proposals seen.")),
    dbTotalSize: r.add(new Gauge("etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes.")),
    dbInUse: r.add(new Gauge("etcd_mvcc_db_total_size_in_use_in_bytes", "Total size of the underlying database logically in use in bytes.")),
    walFsync: r.add(new Histogram("etcd_disk_wal_fsync_duration_seconds", "The latency distributions of fsync called by WAL.", DISK_BUCKETS)),
    backendCommit: r.add(new Histogram("etcd_disk_backend_commit_duration_seconds", "The latency distributions of commit called by backend.", DISK_BUCKETS)),
    grpcHandled: r.add(new Counter("grpc_server_handled_total", "Total number of RPCs completed on the server, regardless of success or failure.")),
    // Prometheus' process collector, which etcd exports too (etcdctl check datascale reads the resident memory)
    processCpu: r.add(new Counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")),
    processRss: r.add(new Gauge("process_resident_memory_bytes", "Resident memory size in bytes.")),
    processVsize: r.add(new Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")),
    processStart: r.add(new Gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")),
  };
}

/** Refreshes the process_* gauges (called when /metrics is rendered). */
export function sampleProcess(m: ServerMetrics): void {
  const cpu = process.cpuUsage();
  m.processCpu.set((cpu.user + cpu.system) / 1e6);
  m.processRss.set(process.memoryUsage().rss);
  m.processStart.set(Math.floor((Date.now() - process.uptime() * 1000) / 1000));
  try {
    // /proc/self/stat field 23 is vsize; the command name (field 2) may hold spaces, so count after its ")"
    const stat = readFileSync("/proc/self/stat", "latin1");
    const vsize = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[20]);
    if (Number.isFinite(vsize)) m.processVsize.set(vsize);
  } catch {
    // not Linux: no virtual memory figure
  }
}

export type ServerMetrics = ReturnType<typeof serverMetrics>;
