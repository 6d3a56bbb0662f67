// Membership changes and MoveLeader on a one-member cluster: the same etcdctl script (member add/list/update/
// remove/promote, move-leader) against a real etcd and the target, outputs equal once ids and ports are
// masked and member lists are compared as sets (both list by id, and the ids differ). Covers etcd's answers
// and gRPC codes for every refusal (peer URL in use, too many learners, learner not in sync, not a learner,
// unknown id, not enough started members, bad leader transferee), the changes etcd makes on one member (a
// learner added unstarted, peer URLs updated — a learner's update also clears its learner flag, as etcd's
// UpdateRaftAttributes does —, a learner removed), and that they survive a restart of both servers.
// One known difference is checked on its own: etcd adds a voting member to a one-member cluster and loses its
// quorum until that member starts; bunetcd, which cannot start it, refuses. Last, an etcd data directory with
// a learner, taken over by the target, lists the same members.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Member, runEtcdctl, startEtcd } from "../support/etcd.ts";
import { mask } from "../support/etcdctl_compare.ts";
import { freePort } from "../support/ports.ts";
import { target } from "../support/target.ts";
import { tempDirs } from "../support/tmp.ts";

const dirs = tempDirs("e2e-member-");
const tgt = target();
const refDir = dirs.make("ref");
const sutDir = dirs.make(tgt.name);
let ref: Member | undefined;
let sut: Member | undefined;

beforeAll(async () => {
  [ref, sut] = await Promise.all([startEtcd(refDir), tgt.start(sutDir)]);
}, 60_000);
afterAll(async () => {
  try {
    await Promise.all([ref?.stop(), sut?.stop()]);
  } finally {
    dirs.cleanup();
  }
}, 60_000);

/** Per-server values a step refers to: {self}, {selfPeer}, {learner}, and peer URLs nobody uses ({p1}…). */
type Vars = Record<string, string>;

interface Outcome {
  code: number;
  out: string;
  err: string;
}

/**
 * Masks what differs between two clusters (ids, ports, timestamps) and the order that follows from the ids:
 * members are listed by id, and ETCD_INITIAL_CLUSTER names them in that order.
 */
function normalize(text: string): string {
  const t = mask(text)
    .replace(/ *\b[0-9a-f]{8,16}\b/g, " <id>") // etcdctl pads hex ids to 16 columns with spaces
    .replace(/ETCD_INITIAL_CLUSTER="([^"]*)"/, (_, v: string) => `ETCD_INITIAL_CLUSTER="${v.split(",").sort().join(",")}"`);
  try {
    const o = JSON.parse(t.replace(/<masked>/g, '"<masked>"')) as { members?: unknown[] };
    if (Array.isArray(o.members)) o.members = o.members.map((m) => JSON.stringify(m)).sort();
    return JSON.stringify(o);
  } catch {
    return t.split("\n").sort().join("\n"); // not one JSON document: compare the lines as a set
  }
}

async function run(m: Member, vars: Vars, step: string): Promise<Outcome & { raw: string }> {
  const args = step.split(" ").map((a) => a.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `<unset ${k}>`));
  const r = await runEtcdctl(m.endpoint, args);
  return { code: r.code, out: normalize(r.stdout), err: normalize(r.stderr), raw: r.stdout };
}

async function varsOf(m: Member, shared: Vars): Promise<Vars> {
  const r = await m.etcdctl(["member", "list", "-w", "json"]);
  const raw = r.stdout.replace(/"ID":(\d+)/g, '"ID":"$1"');
  const self = (JSON.parse(raw) as { members: { ID: string; peerURLs: string[] }[] }).members[0];
  return { ...shared, self: BigInt(self.ID).toString(16), selfPeer: self.peerURLs[0] };
}

/** Runs the steps on both servers in lockstep; returns the steps whose outcomes differ. */
async function compare(vars: [Vars, Vars], script: string[]) {
  const diffs: { step: string; ref: Outcome; target: Outcome }[] = [];
  for (const step of script) {
    const [a, b] = await Promise.all([run(ref!, vars[0], step), run(sut!, vars[1], step)]);
    for (const [v, o] of [[vars[0], a], [vars[1], b]] as const) {
      const text = /^Member (\w+) added/.exec(o.raw)?.[1];
      const json = /"member":\{"ID":(\d+)/.exec(o.raw)?.[1];
      if (text) v.learner = text;
      else if (json) v.learner = BigInt(json).toString(16);
    }
    if (process.env.E2E_VERBOSE) console.log(`$ etcdctl ${step}\n[${a.code}] ${a.out}${a.err}`);
    if (a.code !== b.code || a.out !== b.out || a.err !== b.err) diffs.push({ step, ref: a, target: b });
  }
  return diffs;
}

let vars: [Vars, Vars];

test(`member add/list/update/promote/remove and move-leader: etcd vs ${tgt.name}`, async () => {
  const shared: Vars = {};
  for (const k of ["p1", "p2", "p3", "p4", "p5"]) shared[k] = `http://127.0.0.1:${await freePort()}`;
  vars = [await varsOf(ref!, shared), await varsOf(sut!, shared)];
  expect(await compare(vars, [
    "member list", "member list -w json",
    "move-leader 1234", "move-leader {self}", "move-leader {self} -w json",
    "member remove {self}", "member promote {self}", "member promote 1234", "member update 1234 --peer-urls={p1}",
    "member add l1 --peer-urls={selfPeer} --learner",
    "member add l1 --peer-urls={p1} --learner",
    "member list", "member list -w json",
    "move-leader {learner}",
    "member promote {learner}",
    "member add l2 --peer-urls={p2} --learner",
    "member add l2 --peer-urls={p1},{p2} --learner",
    "member update {learner} --peer-urls={selfPeer}",
    "member update {learner} --peer-urls={p3} -w json",
    "member list -w json",
    "member remove 1234",
    "member remove {self}",
    "member remove {learner} -w json", "member remove {learner}", "member promote {learner}",
    "member update {self} --peer-urls={selfPeer},{p4}", "member list -w fields",
    "member add l3 --peer-urls={p5} --learner -w json",
    "member list",
  ])).toEqual([]);
}, 60_000);

test(`changes survive a restart: etcd vs ${tgt.name}`, async () => {
  await Promise.all([ref!.stop(), sut!.stop()]);
  ref = sut = undefined;
  [ref, sut] = await Promise.all([startEtcd(refDir), tgt.start(sutDir)]);
  expect(await compare(vars, ["member list", "member list -w json", "put k v", "member promote {learner}", "member remove {learner}", "member list"])).toEqual([]);
}, 60_000);

test.skipIf(tgt.name === "etcd")("a voting member: etcd adds it (and loses its quorum), bunetcd refuses", async () => {
  const peer = `http://127.0.0.1:${await freePort()}`;
  const mine = await sut!.etcdctl(["member", "add", "v1", `--peer-urls=${peer}`]);
  expect(mine.code).toBe(1);
  expect(mine.stderr).toContain("code = Unknown desc = etcdserver: re-configuration failed due to not enough started members");
  expect((await sut!.etcdctl(["put", "still", "writable"])).code).toBe(0);
  const theirs = await ref!.etcdctl(["member", "add", "v1", `--peer-urls=${peer}`]);
  expect(theirs.code).toBe(0);
  expect(theirs.stdout).toContain("added to cluster");
}, 60_000);

test(`an etcd data directory with a learner, restarted as ${tgt.name}, lists the same members`, async () => {
  const dir = dirs.make("takeover");
  const etcd = await startEtcd(dir);
  let restarted: Member | undefined;
  try {
    expect((await etcd.etcdctl(["member", "add", "l1", `--peer-urls=http://127.0.0.1:${await freePort()}`, "--learner"])).code).toBe(0);
    // A write after the change moves etcd's consistent index past every entry, so the target re-applies none
    // of them (its apply path does not decode etcd's v2 publish entries, pb.Request, yet).
    expect((await etcd.etcdctl(["put", "after", "change"])).code).toBe(0);
    const before = (await etcd.etcdctl(["member", "list"])).stdout;
    await etcd.stop();
    restarted = await tgt.start(dir);
    const after = await restarted.etcdctl(["member", "list"]);
    // The client URL is the new process's; everything else is as etcd left it.
    expect(mask(after.stdout)).toBe(mask(before));
    expect((await restarted.etcdctl(["put", "k", "v"])).code).toBe(0);
  } finally {
    await (restarted ?? etcd).stop();
  }
}, 60_000);
