// Starts a real etcd 3.4 (Debian's etcd-server) on free loopback ports for comparison tests, and runs the
// real etcdctl against it. The caller must stop() (or kill()) it; both wait for the process to exit.
// startMember() is the shared machinery: any etcd-flag-compatible command line (bunetcd uses it too), its
// stderr drained into a tail buffer (so a chatty server never blocks on a full pipe), readiness = the log line
// "ready to serve client requests" followed by a successful `etcdctl endpoint health`.
// MemberOptions.tls serves the client URLs as https:// and gives every etcdctl run (readiness included) its
// --cacert/--cert/--key arguments.
import { mkdirSync } from "node:fs";
import { freePort } from "./ports.ts";

export interface EtcdctlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RealEtcd {
  endpoint: string;
  etcdctl(args: string[], stdin?: string): Promise<EtcdctlResult>;
  stop(): Promise<void>;
}

/** A started member: RealEtcd plus kill() (SIGKILL, waits for exit) and the last of its log. */
export interface Member extends RealEtcd {
  kill(): Promise<void>;
  logTail(): string;
  pid: number;
}

/** etcdctl with stdout as raw bytes (for `-w protobuf`). */
export async function runEtcdctlRaw(endpoint: string, args: string[], stdin?: string) {
  const p = Bun.spawn(["etcdctl", `--endpoints=${endpoint}`, ...args], {
    stdin: stdin === undefined ? "ignore" : Buffer.from(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ETCDCTL_API: "3" },
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).bytes(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

/** Runs etcdctl; `stdin` feeds commands that read it (e.g. `put key` without a value, for values over ARG_MAX). */
export async function runEtcdctl(endpoint: string, args: string[], stdin?: string): Promise<EtcdctlResult> {
  const r = await runEtcdctlRaw(endpoint, args, stdin);
  return { code: r.code, stdout: new TextDecoder().decode(r.stdout), stderr: r.stderr };
}

export interface MemberSpec {
  /** argv before etcd's flags, e.g. ["etcd"] or ["dist/bunetcd"] */
  command: string[];
  /** what a clean SIGTERM exit looks like; etcd re-raises the signal, bunetcd must exit 0 */
  cleanExit(code: number | null, signal: string | number | null): boolean;
  label: string;
}

/** How a member's client port is reached; the defaults are plain http://. */
export interface MemberOptions {
  /** Client URLs are https://; `etcdctlArgs` (e.g. --cacert, --cert, --key) go on every etcdctl run. */
  tls?: { etcdctlArgs: string[] };
  /** How long to wait for readiness (default 30 s). */
  readyMs?: number;
}

const live = new Set<{ kill(sig?: number | NodeJS.Signals): void }>();
// Safety net only: tests stop what they start; this catches a crashed test run.
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

/** Starts an etcd-flag-compatible member on free loopback ports; `extraArgs` are appended to its command line. */
export async function startMember(spec: MemberSpec, dataDir: string, extraArgs: string[] = [], opts: MemberOptions = {}): Promise<Member> {
  mkdirSync(dataDir, { recursive: true });
  const readyMs = opts.readyMs ?? 30_000;
  const ctlArgs = opts.tls?.etcdctlArgs ?? [];
  const endpoint = `${opts.tls ? "https" : "http"}://127.0.0.1:${await freePort()}`;
  const peer = `http://127.0.0.1:${await freePort()}`;
  const proc = Bun.spawn(
    [
      ...spec.command, "--name", "default", "--data-dir", dataDir,
      "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
      "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
      "--initial-cluster", `default=${peer}`,
      ...extraArgs,
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  live.add(proc);
  let tail = "";
  let sawReady = false;
  const drained = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of proc.stderr) {
      tail = (tail + dec.decode(chunk, { stream: true })).slice(-64 * 1024);
      if (!sawReady && tail.includes("ready to serve client requests")) sawReady = true;
    }
  })();
  const exited = proc.exited.then(async () => {
    live.delete(proc);
    await drained.catch(() => undefined);
  });
  const describe = () => `${spec.label} on ${endpoint} (exit ${proc.exitCode ?? proc.signalCode}); log tail:\n${tail.slice(-3000)}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
    await exited;
    if (!spec.cleanExit(proc.exitCode, proc.signalCode)) throw new Error(`unclean stop of ${describe()}`);
  };
  const kill = async () => {
    proc.kill("SIGKILL");
    await exited;
  };
  const member: Member = {
    endpoint, stop, kill, pid: proc.pid,
    etcdctl: (a, stdin) => runEtcdctl(endpoint, [...ctlArgs, ...a], stdin),
    logTail: () => tail,
  };
  const deadline = performance.now() + readyMs;
  while (performance.now() < deadline && proc.exitCode === null && proc.signalCode === null) {
    if (sawReady && (await runEtcdctl(endpoint, [...ctlArgs, "endpoint", "health", "--dial-timeout=1s"])).code === 0) return member;
    await Bun.sleep(50);
  }
  await kill();
  throw new Error(`${spec.label} did not become healthy: ${describe()}`);
}

export const ETCD: MemberSpec = {
  command: ["etcd"],
  cleanExit: (code, signal) => code === 0 || signal === "SIGTERM",
  label: "etcd",
};

/** `extraArgs` are appended to etcd's command line (e.g. ["--max-request-bytes", "1024"]). */
export function startEtcd(dataDir: string, extraArgs: string[] = [], opts: MemberOptions = {}): Promise<Member> {
  return startMember(ETCD, dataDir, extraArgs, opts);
}
