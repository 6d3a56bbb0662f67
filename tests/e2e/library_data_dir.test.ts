// The embedded store's directory is etcd's data directory: written by open(), served by the compiled bunetcd and
// read with the real etcdctl; written through that server, read again by open(). A directory written by the
// real etcd opens too. While a server (bunetcd or etcd) has it open, open() is refused with a clear error
// (the backend's flock), before anything in it is touched.
import { afterAll, expect, test } from "bun:test";
import { open } from "../../engine/embed/open.ts";
import { DataDirLockedError } from "../../engine/embed/errors.ts";
import { startBunetcd } from "../support/bunetcd.ts";
import { startEtcd } from "../support/etcd.ts";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../support/tmp.ts";

const dirs = tempDirs("bunetcd-library-dir");
afterAll(() => dirs.cleanup());
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

test("open() → bunetcd + etcdctl → open(): same data, same revisions", async () => {
  const dir = dirs.make();
  const db = await open({ dir });
  const lease = await db.lease.grant(900);
  await db.put("app/a", "alpha");
  const last = await db.put("app/b", "beta", { lease: lease.id });
  await db.close();

  const server = await startBunetcd(dir);
  try {
    const get = await server.etcdctl(["get", "--prefix", "app/", "-w", "json"]);
    expect(get.code).toBe(0);
    const json = JSON.parse(get.stdout);
    expect(Number(json.header.revision)).toBe(last.revision);
    expect(json.kvs.map((kv: { key: string; value: string }) => [atob(kv.key), atob(kv.value)])).toEqual([["app/a", "alpha"], ["app/b", "beta"]]);
    expect(BigInt(/"lease":(\d+)/.exec(get.stdout)![1]!)).toBe(lease.id); // past 2^53: not through JSON.parse
    const ttl = await server.etcdctl(["lease", "timetolive", lease.id.toString(16), "--keys"]);
    expect(ttl.stdout).toContain("attached keys([app/b])");
    expect((await server.etcdctl(["put", "app/c", "gamma"])).code).toBe(0);
    // The server holds the directory: open() is refused.
    expect(await open({ dir }).catch((e: unknown) => e)).toBeInstanceOf(DataDirLockedError);
  } finally {
    await server.stop();
  }

  const back = await open({ dir });
  expect(text((await back.get("app/c"))?.value)).toBe("gamma");
  expect((await back.get("app/c"))?.modRevision).toBe(last.revision + 1);
  expect((await back.range({ prefix: "app/" })).count).toBe(3);
  await back.close();
});

test("bunetcd refuses a directory open() holds, with the same clear error, and exits 1", async () => {
  const dir = dirs.make();
  const db = await open({ dir });
  try {
    const err = await startBunetcd(dir, [], { readyMs: 10_000 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`data directory ${JSON.stringify(dir)} is in use by another bunetcd or etcd`);
    expect((err as Error).message).toContain("exit 1");
  } finally {
    await db.close();
  }
});

test("a directory in use by the real etcd is refused untouched; once etcd stops, open() reads etcd's data", async () => {
  const dir = dirs.make();
  const etcd = await startEtcd(dir);
  let stopped = false;
  try {
    expect((await etcd.etcdctl(["put", "from/etcd", "hello"])).code).toBe(0);
    const walBefore = readdirSync(join(dir, "member", "wal")).sort();
    expect(await open({ dir }).catch((e: unknown) => e)).toBeInstanceOf(DataDirLockedError);
    expect(readdirSync(join(dir, "member", "wal")).sort()).toEqual(walBefore);
    expect(existsSync(join(dir, "member", "wal.etcd"))).toBe(false);
    await etcd.stop();
    stopped = true;
    const db = await open({ dir });
    expect(text((await db.get("from/etcd"))?.value)).toBe("hello");
    await db.put("from/bunetcd", "hi");
    await db.close();
  } finally {
    if (!stopped) await etcd.stop();
  }
});
