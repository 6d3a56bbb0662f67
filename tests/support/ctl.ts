// Runs etcdctl command scripts with the real etcdctl and with bunetcd acting as etcdctl, for byte-for-byte
// comparison. The same script runs twice against a fresh real etcd started on the SAME ports and data
// layout (so cluster id, member id, terms and revisions are identical): once with etcdctl, once with
// bunetcd. Only inherently run-dependent text is normalized: log timestamps, client UUIDs, "took" durations,
// lease ids (time-based), db file sizes (commit timing), Go panic stack traces.
// bunetcd runs as `etcdctl` through a real symlink to dist/bunetcd (or, with E2E_BUNETCD=source, as
// `bun cli/main.ts` with argv0 "etcdctl").
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { bunetcdCommand } from "./bunetcd.ts";
import { freePort } from "./ports.ts";

export interface CtlStep {
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  /** skip the endpoint flag (the step names its own endpoints) */
  noEndpoint?: boolean;
  /** a command that never ends by itself (watch, keep-alive): SIGINT this many ms after its first output */
  interruptAfterMs?: number;
  /** setup for later steps: always run by the real etcdctl (e.g. commands bunetcd does not implement) */
  setup?: boolean;
}

export interface CtlOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export type Client = "etcdctl" | "bunetcd";

/** The argv prefix and argv0 that run a client. `asBunetcd` runs bunetcd under its own name. */
export async function clientCommand(client: Client, linkDir: string, asBunetcd = false): Promise<{ cmd: string[]; argv0?: string }> {
  if (client === "etcdctl") return { cmd: ["etcdctl"] };
  const base = await bunetcdCommand();
  if (asBunetcd) return { cmd: base };
  if (base.length > 1) return { cmd: base, argv0: "etcdctl" };
  const link = join(linkDir, "etcdctl");
  mkdirSync(linkDir, { recursive: true });
  try {
    symlinkSync(base[0]!, link);
  } catch {
    // already linked
  }
  return { cmd: [link] };
}

export async function runClient(
  c: { cmd: string[]; argv0?: string },
  args: string[],
  stdin?: string,
  env: Record<string, string> = {},
  interruptAfterMs?: number,
): Promise<CtlOutcome> {
  const p = Bun.spawn([...c.cmd, ...args], {
    stdin: stdin === undefined ? "ignore" : Buffer.from(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ETCDCTL_API: "3", ...env },
    ...(c.argv0 ? { argv0: c.argv0 } : {}),
  });
  // interrupt a never-ending command once it has printed (plus a grace period), or after a hard cap
  let timer: ReturnType<typeof setTimeout> | undefined;
  const interrupt = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => p.kill("SIGINT"), ms);
  };
  if (interruptAfterMs !== undefined) interrupt(INTERRUPT_CAP_MS);
  const readOut = (async () => {
    const chunks: Uint8Array[] = [];
    for await (const c of p.stdout) {
      if (chunks.length === 0 && interruptAfterMs !== undefined) interrupt(interruptAfterMs);
      chunks.push(c);
    }
    return Buffer.concat(chunks);
  })();
  const [out, stderr, exit] = await Promise.all([readOut, new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  const code = p.signalCode === "SIGINT" ? 130 : exit;
  return { code, stdout: Buffer.from(out).toString("latin1"), stderr };
}

const INTERRUPT_CAP_MS = 10_000;

export interface FixedEtcd {
  endpoint: string;
  stop(): Promise<void>;
}

export interface Ports {
  client: number;
  peer: number;
}

export async function pickPorts(): Promise<Ports> {
  return { client: await freePort(), peer: await freePort() };
}

/** TLS on the client URL: etcd's server flags and the etcdctl flags that reach it. */
export interface FixedTls {
  serverArgs: string[];
  ctlArgs: string[];
}

/** A fresh real etcd on the given ports (same ports + same name = same cluster and member ids). */
export async function startFixedEtcd(dataDir: string, ports: Ports, tls?: FixedTls): Promise<FixedEtcd> {
  const endpoint = `${tls ? "https" : "http"}://127.0.0.1:${ports.client}`;
  const peer = `http://127.0.0.1:${ports.peer}`;
  const proc = Bun.spawn(
    [
      "etcd", "--name", "default", "--data-dir", dataDir, "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
      "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", `default=${peer}`,
      ...(tls?.serverArgs ?? []),
    ],
    { stdout: "ignore", stderr: "ignore" },
  );
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
  };
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const r = await runClient({ cmd: ["etcdctl"] }, [`--endpoints=${endpoint}`, ...(tls?.ctlArgs ?? []), "endpoint", "health", "--dial-timeout=1s"]);
    if (r.code === 0) return { endpoint, stop };
    await Bun.sleep(50);
  }
  await stop();
  throw new Error("etcd did not become healthy");
}

const NORMALIZE: [RegExp, string][] = [
  [/"ts":"[^"]*"/g, '"ts":"<ts>"'],
  [/"ts":\d+(\.\d+)?/g, '"ts":"<ts>"'],
  [/"took":\d+(\.\d+)?(e-\d+)?/g, '"took":"<took>"'],
  [/client-[0-9a-f-]{36}/g, "client-<uuid>"],
  [/took = \S+/g, "took = <took>"],
  [/"took":"[^"]*"/g, '"took":"<took>"'],
  [/"Took" : \S+/g, '"Took" : <took>'],
  [/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} /gm, "<time> "],
  [/(panic: [^\n]*\n)[\s\S]*/g, "$1"],
  // the real etcd's db file grows with the timing of its backend commits and open read transactions
  [/"dbSize(InUse)?":\d+/g, '"dbSize$1":"<db>"'],
  [/"DBSize" : \d+/g, '"DBSize" : <db>'],
  [/"size":"[^"]*"/g, '"size":"<db>"'],
  [/(, |\| +)\d+(\.\d)? [kMGT]?B(, | \|)/g, "$1<db>$3"],
];

export function normalize(text: string, leaseIds: bigint[]): string {
  let t = NORMALIZE.reduce((s, [re, by]) => s.replace(re, by), text);
  leaseIds.forEach((id, i) => {
    t = t
      .replaceAll(id.toString(16).padStart(16, "0"), `<lease${i}>`)
      .replaceAll(new RegExp(`\\b${id.toString(16)}\\b`, "g"), `<lease${i}>`)
      .replaceAll(id.toString(), `<lease${i}>`)
      // %16x pads a random id with spaces
      .replace(/ +<lease/g, " <lease");
  });
  // member add's ETCD_INITIAL_CLUSTER follows the member order, i.e. the new member's random id
  return t.replace(/ETCD_INITIAL_CLUSTER="([^"]*)"/, (_m, v: string) => `ETCD_INITIAL_CLUSTER="${v.split(",").sort().join(",")}"`);
}

/** Runs a script; `$LEASE0`, `$LEASE1`… in args are the ids returned by earlier `lease grant` / `member add`
 * steps, in order; `$MEMBER` the started member's id from an earlier `member list`; `$EP` the endpoint. */
export async function runScript(
  c: { cmd: string[]; argv0?: string },
  endpoint: string,
  steps: CtlStep[],
): Promise<{ outcomes: CtlOutcome[]; leases: bigint[] }> {
  const leases: bigint[] = [];
  const outcomes: CtlOutcome[] = [];
  let member = "0";
  for (const s of steps) {
    const args = s.args.map((a) =>
      a
        .replace(/\$LEASE(\d)/g, (_m, i: string) => (leases[Number(i)] ?? 0n).toString(16))
        .replaceAll("$MEMBER", member)
        .replaceAll("$EP", endpoint),
    );
    const r = await runClient(s.setup ? { cmd: ["etcdctl"] } : c, s.noEndpoint ? args : [`--endpoints=${endpoint}`, ...args], s.stdin, s.env, s.interruptAfterMs);
    const m = /lease ([0-9a-f]{16}) granted with/.exec(r.stdout) ?? /Member +([0-9a-f]+) added/.exec(r.stdout);
    const j = /"ID":(\d+),"TTL"/.exec(r.stdout);
    if (s.args.includes("grant") || s.args.includes("add")) {
      if (m) leases.push(BigInt(`0x${m[1]}`));
      else if (j) leases.push(BigInt(j[1]!));
    }
    member = /^([0-9a-f]+), started, default,/m.exec(r.stdout)?.[1] ?? member;
    outcomes.push(r);
  }
  return { outcomes, leases };
}

/** A printable step label. */
export const label = (s: CtlStep) => s.args.join(" ") + (s.stdin !== undefined ? ` <<< ${JSON.stringify(s.stdin)}` : "");

/** "get --prefix a -w json" → a step (split on spaces; use an object for arguments with spaces or stdin). */
export function ctlSteps(lines: (string | CtlStep)[]): CtlStep[] {
  return lines.map((l) => (typeof l === "string" ? { args: l.split(" ").filter(Boolean) } : l));
}
