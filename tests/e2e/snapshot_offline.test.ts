// `bunetcd snapshot restore` gives a data directory that both servers start on: the same snapshot restored
// by etcdctl and by bunetcd, a real etcd 3.4 started on each serves the same keys (values, create/mod
// revisions, versions, leases) at the same revision with the same cluster and member ids; bunetcd started on
// our restore serves them too; and `bunetcd backend check` passes on our restored db. A snapshot saved from
// bunetcd, restored by us, is served by both servers as the source served it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { type Member, startEtcd } from "../support/etcd.ts";
import { runBunetcd, startBunetcd } from "../support/bunetcd.ts";
import { tempDirs } from "../support/tmp.ts";

const root = join(import.meta.dir, "../..");
const dirs = tempDirs("bunetcd-snaprestore-");
let snap = "";
afterAll(() => dirs.cleanup());

async function restoreWith(cmd: string[], dataDir: string, file = snap) {
  const p = Bun.spawn([...cmd, "restore", file, "--data-dir", dataDir], { stdout: "pipe", stderr: "pipe", env: { ...process.env, ETCDCTL_API: "3" } });
  const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  expect({ code, err: code ? err : "" }).toEqual({ code: 0, err: "" });
}
const etcdctlRestore = (d: string) => restoreWith(["etcdctl", "snapshot"], d);
const ourRestore = (d: string, file = snap) => restoreWith([process.execPath, join(root, "cli/snapshot/offline.ts")], d, file);

interface View {
  kvs: unknown;
  revision: number;
  clusterId: string;
  memberId: string;
}

/** What a member serves: every key with its metadata, and its header ids and revision. */
async function view(m: Member): Promise<View> {
  const got = JSON.parse((await m.etcdctl(["get", "", "--prefix", "-w", "json"])).stdout);
  const st = JSON.parse((await m.etcdctl(["endpoint", "status", "-w", "json"])).stdout)[0].Status.header;
  return { kvs: got.kvs, revision: st.revision, clusterId: String(st.cluster_id), memberId: String(st.member_id) };
}

async function serving(start: () => Promise<Member>): Promise<View> {
  const m = await start();
  try {
    return await view(m);
  } finally {
    await m.stop();
  }
}

/** Writes the same history into src and saves a snapshot of it to file; returns what src served. */
async function writeAndSave(src: Member, file: string): Promise<View> {
  try {
    for (let i = 0; i < 40; i++) expect((await src.etcdctl(["put", `r/${i % 25}`, `v${i}`])).code).toBe(0);
    const lease = (await src.etcdctl(["lease", "grant", "3600"])).stdout.split(" ")[1];
    await src.etcdctl(["put", "leased", "x", "--lease", lease]);
    await src.etcdctl(["del", "r/1"]);
    await src.etcdctl(["compact", "10"]);
    expect((await src.etcdctl(["snapshot", "save", file])).code).toBe(0);
    return await view(src);
  } finally {
    await src.stop();
  }
}

beforeAll(async () => {
  snap = join(dirs.make("files"), "s.db");
  await writeAndSave(await startEtcd(dirs.make("src")), snap);
}, 60_000);

test("etcd serves our restore exactly as it serves etcdctl's; bunetcd serves it too", async () => {
  const [theirs, oursForEtcd, oursForBunetcd] = [dirs.make("theirs"), dirs.make("ours1"), dirs.make("ours2")].map((d) => join(d, "data"));
  await Promise.all([etcdctlRestore(theirs), ourRestore(oursForEtcd), ourRestore(oursForBunetcd)]);
  const check = await runBunetcd(["backend", "check", join(oursForEtcd, "member/snap/db")]);
  expect({ code: check.code, out: check.stdout.trim() }).toEqual({ code: 0, out: "OK" });

  const reference = await serving(() => startEtcd(theirs));
  expect((reference.kvs as unknown[]).length).toBe(25);
  expect(await serving(() => startEtcd(oursForEtcd))).toEqual(reference);
  expect(await serving(() => startBunetcd(oursForBunetcd))).toEqual(reference);
}, 120_000);

test("a snapshot saved from bunetcd, restored by us, is served by etcd and bunetcd as the source served it", async () => {
  const file = join(dirs.make("files"), "b.db");
  const source = await writeAndSave(await startBunetcd(dirs.make("bsrc")), file);
  const [forEtcd, forBunetcd] = [dirs.make("b1"), dirs.make("b2")].map((d) => join(d, "data"));
  await Promise.all([ourRestore(forEtcd, file), ourRestore(forBunetcd, file)]);
  const onEtcd = await serving(() => startEtcd(forEtcd));
  // the new cluster's ids are the restore's, not the source's
  expect({ kvs: onEtcd.kvs, revision: onEtcd.revision }).toEqual({ kvs: source.kvs, revision: source.revision });
  expect(await serving(() => startBunetcd(forBunetcd))).toEqual(onEtcd);
}, 120_000);
