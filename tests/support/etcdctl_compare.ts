// Runs one etcdctl step against a reference etcd and a target and reduces both results to comparable text:
// exit code, stdout and stderr with what legitimately differs between two clusters masked (cluster/member
// ids, raft terms, server versions, ports, db file sizes, log timestamps, client UUIDs). `-w protobuf` output
// is decoded with the given schema, its header masked, and compared as JSON. E2E_VERBOSE=1 prints each step.
import { type DescMessage, fromBinary, toJsonString } from "@bufbuild/protobuf";
import { runEtcdctlRaw } from "./etcd.ts";

export interface Step {
  /** etcdctl arguments (after --endpoints) */
  args: string[];
  stdin?: string;
  /** for `-w protobuf`: the response message etcdctl marshals to stdout */
  pb?: DescMessage;
}

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

const MASKS: [RegExp, string][] = [
  [/"(cluster_id|member_id|raft_term|leader|ID|raftTerm|dbSize|dbSizeInUse)":\d+/g, '"$1":<masked>'],
  [/"(ClusterID|MemberID|RaftTerm|Leader|DBSize|ID)" : \d+/g, '"$1" : <masked>'],
  [/"took":"[^"]*"/g, '"took":"<took>"'],
  [/"(version|Version)"( ?: ?)"[0-9][^"]*"/g, '"$1"$2"<version>"'],
  [/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>"],
  [/"ts":"[^"]*"/g, '"ts":"<ts>"'],
  [/client-[0-9a-f-]{36}/g, "client-<uuid>"],
  [/memberID:\d+/g, "memberID:<masked>"],
];

export function mask(text: string): string {
  return MASKS.reduce((t, [re, by]) => t.replace(re, by), text);
}

function decodePb(schema: DescMessage, bytes: Uint8Array): string {
  try {
    const msg = fromBinary(schema, bytes) as { header?: { clusterId: bigint; memberId: bigint; raftTerm: bigint } };
    if (msg.header) Object.assign(msg.header, { clusterId: 0n, memberId: 0n, raftTerm: 0n });
    return toJsonString(schema, msg as never);
  } catch (e) {
    return `undecodable ${schema.typeName}: ${(e as Error).message}`;
  }
}

export async function runStep(endpoint: string, step: Step): Promise<Outcome> {
  const r = await runEtcdctlRaw(endpoint, step.args, step.stdin);
  const stdout = step.pb && r.code === 0 ? decodePb(step.pb, r.stdout) : new TextDecoder().decode(r.stdout);
  return { code: r.code, stdout: mask(stdout), stderr: mask(r.stderr) };
}

/** Runs the steps in order on both endpoints; returns the steps whose outcomes differ (empty = all match). */
export async function compareSteps(ref: string, target: string, steps: Step[]) {
  const diffs: { step: string; ref: Outcome; target: Outcome }[] = [];
  for (const step of steps) {
    const [a, b] = await Promise.all([runStep(ref, step), runStep(target, step)]);
    if (process.env.E2E_VERBOSE) console.log(`$ etcdctl ${step.args.join(" ")}\n[${a.code}] ${a.stdout}${a.stderr}`);
    if (a.code !== b.code || a.stdout !== b.stdout || a.stderr !== b.stderr) diffs.push({ step: step.args.join(" "), ref: a, target: b });
  }
  return diffs;
}

/** "get --prefix a -w json" → a step (arguments split on spaces; use an object for values with spaces). */
export function steps(lines: (string | Step)[]): Step[] {
  return lines.map((l) => (typeof l === "string" ? { args: l.split(" ").filter(Boolean) } : l));
}
