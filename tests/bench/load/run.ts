// Runs a load generator script (generator.ts for unary ops, or the stream generators) as a separate process and
// returns its JSON result line; optionally pinned to one CPU with taskset (`pinCpu`), and `pin()` moves an already
// running server (all threads).
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

/** Runs a generator script of this folder as its own process (pinned with taskset when `pinCpu` is given) and
 *  returns its last stdout line parsed as JSON; a non-zero exit throws with the first line of its stderr. */
export async function runGenerator<T>(script: string, args: (string | number)[], pinCpu?: number): Promise<T> {
  const cmd = [process.execPath, join(import.meta.dir, script), ...args.map(String)];
  const p = Bun.spawn(pinCpu === undefined ? cmd : ["taskset", "-c", String(pinCpu), ...cmd], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${script} exited ${code}: ${err.trim().split("\n")[0]}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as T;
}

export function runLoad(endpoint: string, op: Op, shape: LoadShape): Promise<LoadResult> {
  return runGenerator<LoadResult>("generator.ts", [endpoint, op, shape.conns, shape.streams, shape.seconds, shape.keySpace ?? 10_000], shape.pinCpu);
}
