// `bunetcd snapshot status|restore` against etcdctl 3.4's for the same files: status output in every format,
// error texts and exit codes (missing, empty, corrupt, trailer-less files; bad flags; existing dirs); and
// restores that give byte-identical WAL and .snap files and a db with the same status (hash over every
// bucket, consistent_index included), for one member and for a three-member cluster. The snapshot comes
// from a real etcd that also holds a user key named after its member id (etcd's restore deletes it).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEtcd } from "../../support/etcd.ts";
import { tempDirs } from "../../support/tmp.ts";

const root = join(import.meta.dir, "../../..");
const dirs = tempDirs("bunetcd-snapoffline-");
let dir = "";
let snap = "";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string[]): Promise<Run> {
  const p = Bun.spawn(cmd, { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, ETCDCTL_API: "3" } });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  // zap log lines carry timestamps; compare their messages only
  const logs = stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l).msg as string);
  const errors = stderr.split("\n").filter((l) => l !== "" && !l.startsWith("{")).join("\n");
  return { code, stdout, stderr: `${logs.join("|")}\n${errors}` };
}

const ours = (args: string[]) => run([process.execPath, join(root, "cli/snapshot/offline.ts"), ...args]);
const theirs = (args: string[]) => run(["etcdctl", "snapshot", ...args]);

async function same(args: string[]): Promise<Run> {
  const [a, b] = await Promise.all([theirs(args), ours(args)]);
  expect({ args, ...b }).toEqual({ args, ...a });
  return b;
}

beforeAll(async () => {
  dir = dirs.make("work");
  const etcd = await startEtcd(dirs.make("etcd"));
  try {
    const id = (await etcd.etcdctl(["member", "list", "-w", "json"])).stdout.match(/"ID":(\d+)/)![1];
    for (let i = 0; i < 30; i++) expect((await etcd.etcdctl(["put", `k/${i}`, `v${i}`])).code).toBe(0);
    await etcd.etcdctl(["put", BigInt(id).toString(16), "named like the member"]);
    await etcd.etcdctl(["lease", "grant", "600"]);
    await etcd.etcdctl(["compact", "5"]);
    await etcd.etcdctl(["del", "k/3"]);
    snap = join(dir, "s.db");
    expect((await etcd.etcdctl(["snapshot", "save", snap])).code).toBe(0);
  } finally {
    await etcd.stop();
  }
  const bytes = readFileSync(snap);
  writeFileSync(join(dir, "nohash.db"), bytes.subarray(0, bytes.length - 32));
  const bad = Buffer.from(bytes);
  bad[bad.length - 100] ^= 0xff;
  writeFileSync(join(dir, "badhash.db"), bad);
  writeFileSync(join(dir, "empty.db"), "");
  writeFileSync(join(dir, "rand.db"), Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919 + 13) & 0xff)));
  const meta = Buffer.from(bytes);
  meta.writeUInt32LE(0xffffffff, 32);
  meta.writeUInt32LE(0xffffffff, 4096 + 32);
  writeFileSync(join(dir, "badmeta.db"), meta);
}, 60_000);
afterAll(() => dirs.cleanup());

describe("snapshot status", () => {
  test("every output format prints what etcdctl prints", async () => {
    for (const w of [[], ["-w", "json"], ["-w", "table"], ["--write-out=fields"], ["-w", "simple"], ["-w", "protobuf"], ["-w", "yaml"]]) {
      await same(["status", "s.db", ...w]);
    }
    const r = await same(["status", "s.db", "-w", "json"]);
    expect(JSON.parse(r.stdout).totalKey).toBeGreaterThan(30);
  });

  test("errors: missing, empty, corrupt files, argument count", async () => {
    for (const f of ["nope.db", "empty.db", "rand.db", "badmeta.db"]) await same(["status", f]);
    await same(["status"]);
    await same(["status", "a.db", "b.db"]);
  });

  test("a file without the trailer (a copied member/snap/db) has the same status", async () => {
    await same(["status", "nohash.db", "-w", "json"]);
  });
});

describe("snapshot restore", () => {
  let n = 0;
  /** Restores with both tools into fresh dirs; returns [theirs, ours] data dirs. */
  async function both(extra: string[], file = "s.db"): Promise<[string, string]> {
    const a = `t${++n}`, b = `o${n}`;
    const args = (d: string) => ["restore", file, "--data-dir", d, ...extra.map((x) => x.replace("{wal}", `${d}-wal`))];
    const [ra, rb] = await Promise.all([theirs(args(a)), ours(args(b))]);
    expect(rb).toEqual({ ...ra, stderr: ra.stderr.replaceAll(a, b) });
    return [join(dir, a), join(dir, b)];
  }

  async function sameLayout(a: string, b: string, hasDb = true) {
    const files = (d: string) => readdirSync(d, { recursive: true }).map(String).sort();
    expect(files(b)).toEqual(files(a));
    for (const f of files(a).filter((f) => f.endsWith(".wal") || f.endsWith(".snap"))) {
      expect(Buffer.compare(readFileSync(join(b, f)), readFileSync(join(a, f)))).toBe(0);
    }
    if (!hasDb) return;
    // Same content (hash over every bucket and key, consistent_index included); the page layout, and so
    // totalSize, is the backend allocator's own.
    const st = async (d: string) => ({ ...JSON.parse((await theirs(["status", join(d, "member/snap/db"), "-w", "json"])).stdout), totalSize: 0 });
    expect(await st(b)).toEqual(await st(a));
  }

  test("one member, defaults: same WAL, .snap and db status as etcdctl's", async () => {
    const [a, b] = await both([]);
    await sameLayout(a, b);
  });

  test("three members, this one named b, other token, --wal-dir", async () => {
    const cluster = "a=http://10.0.0.1:2380,b=http://10.0.0.2:2380,b=http://10.0.0.2:2381,c=http://10.0.0.3:2380";
    const common = ["--name", "b", "--initial-cluster", cluster, "--initial-advertise-peer-urls", "http://10.0.0.2:2381,http://10.0.0.2:2380", "--initial-cluster-token", "tok"];
    const [a, b] = await both([...common, "--wal-dir", "{wal}"]);
    await sameLayout(a, b);
    await sameLayout(`${a}-wal`, `${b}-wal`, false);
  });

  test("--skip-hash-check restores a file without the trailer", async () => {
    const [a, b] = await both(["--skip-hash-check"], "nohash.db");
    await sameLayout(a, b);
  });

  test("errors and exit codes match etcdctl's", async () => {
    await both([], "nohash.db");
    await both([], "badhash.db");
    await both([], "nope.db");
    await both(["--name", "x"]);
    await both(["--initial-advertise-peer-urls", "localhost:2380"]);
    await both(["--initial-advertise-peer-urls", "http://localhost"]);
    await both(["--initial-advertise-peer-urls", "http://localhost:2380/p"]);
    await both(["--initial-cluster", "default=http://1.1.1.1:2380"]);
    await both(["--initial-cluster", "default=http://localhost:2380,default=http://localhost:2381"]);
    await both(["--initial-advertise-peer-urls", "http://localhost:2380,http://localhost:2381"]);
    await same(["restore"]);
    await same(["restore", "s.db", "--data-dir", "."]);
    await same(["restore", "s.db", "--data-dir", "fresh-never-made", "--wal-dir", "."]);
  });
});
