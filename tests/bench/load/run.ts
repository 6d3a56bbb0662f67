// Runs the load generator (generator.ts) as a separate process and returns its result line; optionally
// pinned to one CPU with taskset (`pinCpu`), and `pin()` moves an already running server (all threads).
import { join } from "node:path";
import type { Op } from "./requests.ts";

export interface LoadResult {
  op: Op;
  calls: number;
  errors: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** generator CPU seconds per wall second */
  cpu: number;
}

export interface LoadShape {
  conns: number;
  streams: number;
  seconds: number;
  keySpace?: number;
  pinCpu?: number;
}

export const canPin = Bun.which("taskset") !== null && navigator.hardwareConcurrency >= 2;

export async function pin(pid: number, cpu: number): Promise<void> {
  const p = Bun.spawn(["taskset", "-a", "-p", "-c", String(cpu), String(pid)], { stdout: "ignore", stderr: "pipe" });
  if ((await p.exited) !== 0) throw new Error(`taskset failed: ${await new Response(p.stderr).text()}`);
}

export async function runLoad(endpoint: string, op: Op, shape: LoadShape): Promise<LoadResult> {
  const cmd = [process.execPath, join(import.meta.dir, "generator.ts"), endpoint, op, String(shape.conns), String(shape.streams), String(shape.seconds), String(shape.keySpace ?? 10_000)];
  const p = Bun.spawn(shape.pinCpu === undefined ? cmd : ["taskset", "-c", String(shape.pinCpu), ...cmd], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`load generator exited ${code}: ${err.trim().split("\n")[0]}`);
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult;
  if (r.calls === 0) throw new Error(`no successful calls (${r.errors} errors): ${err.trim().split("\n")[0]}`);
  return r;
}
