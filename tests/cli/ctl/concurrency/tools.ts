// The two clients the interoperability tests compare: bunetcd's etcdctl commands (the binary from
// tests/support/bunetcd.ts) and the real etcdctl 3.4, both pointed at one endpoint.
import { bunetcdCommand } from "../../../support/bunetcd.ts";
import { spawnWatched, type Watched } from "./spawn.ts";

export type Tool = "bunetcd" | "etcdctl";
export const TOOLS: Tool[] = ["bunetcd", "etcdctl"];

/** argv running `args` (a command then its arguments) with the given tool against `endpoint`. */
export async function toolArgv(tool: Tool, endpoint: string, args: string[]): Promise<string[]> {
  if (tool === "etcdctl") return ["etcdctl", `--endpoints=${endpoint}`, ...args];
  return [...(await bunetcdCommand()), args[0]!, `--endpoints=${endpoint}`, ...args.slice(1)];
}

export async function spawnTool(tool: Tool, endpoint: string, args: string[]): Promise<Watched> {
  return spawnWatched(await toolArgv(tool, endpoint, args));
}

/** Runs a tool to completion. */
export async function runTool(tool: Tool, endpoint: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const w = spawnWatched(await toolArgv(tool, endpoint, args));
  const code = await w.exited;
  return { code, stdout: w.stdout(), stderr: w.stderr() };
}
