// gRPC transport benchmark: unary calls/s through RpcServer's gRPC fast path (protocol sniffing, method table,
// protobuf decode/encode, trivial KV.Put) beside a bare node:http2 gRPC handler measured in the same run, and the
// Connect protocol through @connectrpc/connect's universal handler for comparison. Server and load generator are
// separate processes (pinned to different cores with taskset when available), runs interleaved, median reported.
// Options: --seconds=N per run (default 3), --runs=N (default 3), --quick (1 s, 1 run).
import { join } from "node:path";
import { fmt, median, printTable } from "./table.ts";

const support = join(import.meta.dir, "..", "rpc", "support");
const bun = process.execPath;
const hasTaskset = Bun.which("taskset") !== null && navigator.hardwareConcurrency >= 2;
const pin = (cpu: number, cmd: string[]) => (hasTaskset ? ["taskset", "-c", String(cpu), ...cmd] : cmd);

interface LoadResult {
  calls: number;
  errors: number;
  seconds: number;
}

async function startServer(kind: "bare" | "rpc"): Promise<{ origin: string; stop: () => Promise<void> }> {
  const proc = Bun.spawn(pin(0, [bun, join(support, "grpc_bench_server.ts"), kind]), { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`bench server ${kind} exited early`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return {
    origin: text.trim(),
    stop: async () => {
      proc.kill();
      await proc.exited;
    },
  };
}

async function load(origin: string, conns: number, streams: number, seconds: number, mode: "grpc" | "connect"): Promise<LoadResult> {
  const p = Bun.spawn(pin(1, [bun, join(support, "h2_load.ts"), origin, String(conns), String(streams), String(seconds), mode]), { stdout: "pipe", stderr: "inherit" });
  const out = await new Response(p.stdout).text();
  if ((await p.exited) !== 0) throw new Error(`load generator failed: ${out}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult;
}

export default async function (args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const seconds = Number(args.find((a) => a.startsWith("--seconds="))?.slice(10) ?? (quick ? 1 : 3));
  const runs = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? (quick ? 1 : 3));
  const shapes: [number, number][] = [[10, 10], [1, 1], [10, 50]];
  const cases: { name: string; server: "bare" | "rpc"; mode: "grpc" | "connect" }[] = [
    { name: "bare node:http2 gRPC handler (baseline)", server: "bare", mode: "grpc" },
    { name: "RpcServer gRPC fast path, KV.Put", server: "rpc", mode: "grpc" },
    { name: "RpcServer Connect (universal handler), KV.Put", server: "rpc", mode: "connect" },
  ];
  const servers = { bare: await startServer("bare"), rpc: await startServer("rpc") };
  const rows: (string | number)[][] = [];
  try {
    for (const [conns, streams] of shapes) {
      const rates = new Map<string, number[]>(cases.map((c) => [c.name, []]));
      let errors = 0;
      for (let r = 0; r < runs; r++) {
        for (const c of cases) {
          const res = await load(servers[c.server].origin, conns, streams, seconds, c.mode);
          errors += res.errors;
          rates.get(c.name)!.push(res.calls / res.seconds);
        }
      }
      const base = await median(1, () => medianOf(rates.get(cases[0].name)!));
      for (const c of cases) {
        const m = medianOf(rates.get(c.name)!);
        rows.push([`${conns}×${streams}`, c.name, fmt(m), `${fmt((m / base) * 100)}%`]);
      }
      if (errors) rows.push([`${conns}×${streams}`, "errors (all cases)", errors, ""]);
    }
  } finally {
    await servers.bare.stop();
    await servers.rpc.stop();
  }
  console.log(`unary calls/s, ${runs} run(s) × ${seconds} s, median; conns×streams = HTTP/2 connections × concurrent streams each;` +
    ` server and load generator in separate processes${hasTaskset ? " pinned to cores 0 and 1" : ""}\n`);
  printTable(["load", "server", "calls/s", "vs bare"], rows);
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
