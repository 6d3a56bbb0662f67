// Starts a real etcd 3.4 (Debian's etcd-server) on free loopback ports for comparison tests, and runs the
// real etcdctl against it. The caller must stop() it; stop() waits for the process to exit.
import { mkdirSync } from "node:fs";
import { freePort } from "./ports.ts";

export interface RealEtcd {
  endpoint: string;
  etcdctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function runEtcdctl(endpoint: string, args: string[]) {
  const p = Bun.spawn(["etcdctl", `--endpoints=${endpoint}`, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ETCDCTL_API: "3" },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

export async function startEtcd(dataDir: string): Promise<RealEtcd> {
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
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
  };
  for (let i = 0; i < 100; i++) {
    const r = await runEtcdctl(endpoint, ["endpoint", "health", "--dial-timeout=1s"]);
    if (r.code === 0) return { endpoint, etcdctl: (a) => runEtcdctl(endpoint, a), stop };
    if (proc.exitCode !== null) break;
    await Bun.sleep(100);
  }
  const err = await new Response(proc.stderr).text().catch(() => "");
  await stop();
  throw new Error(`etcd did not become healthy on ${endpoint}: ${err.slice(-2000)}`);
}
