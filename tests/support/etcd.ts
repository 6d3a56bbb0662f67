// Starts a real etcd 3.4 (Debian's etcd-server) on free loopback ports for comparison tests, and runs the
// real etcdctl against it. The caller must stop() it; stop() waits for the process to exit.
import { mkdirSync } from "node:fs";
import { freePort } from "./ports.ts";

export interface RealEtcd {
  endpoint: string;
  etcdctl(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** Runs etcdctl; `stdin` feeds commands that read it (e.g. `put key` without a value, for values over ARG_MAX). */
export async function runEtcdctl(endpoint: string, args: string[], stdin?: string) {
  const p = Bun.spawn(["etcdctl", `--endpoints=${endpoint}`, ...args], {
    stdin: stdin === undefined ? "ignore" : Buffer.from(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ETCDCTL_API: "3" },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

/** `extraArgs` are appended to etcd's command line (e.g. ["--max-request-bytes", "1024"]). */
export async function startEtcd(dataDir: string, extraArgs: string[] = []): Promise<RealEtcd> {
  mkdirSync(dataDir, { recursive: true });
  const client = await freePort();
  const peer = await freePort();
  const endpoint = `http://127.0.0.1:${client}`;
  const proc = Bun.spawn(
    [
      "etcd", "--name", "default", "--data-dir", dataDir,
      "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
      "--listen-peer-urls", `http://127.0.0.1:${peer}`, "--initial-advertise-peer-urls", `http://127.0.0.1:${peer}`,
      "--initial-cluster", `default=http://127.0.0.1:${peer}`,
      ...extraArgs,
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
  };
  for (let i = 0; i < 100; i++) {
    const r = await runEtcdctl(endpoint, ["endpoint", "health", "--dial-timeout=1s"]);
    if (r.code === 0) return { endpoint, etcdctl: (a, stdin) => runEtcdctl(endpoint, a, stdin), stop };
    if (proc.exitCode !== null) break;
    await Bun.sleep(100);
  }
  const err = await new Response(proc.stderr).text().catch(() => "");
  await stop();
  throw new Error(`etcd did not become healthy on ${endpoint}: ${err.slice(-2000)}`);
}
