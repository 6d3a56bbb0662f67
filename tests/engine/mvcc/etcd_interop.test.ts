// Interop with the real etcd 3.4 (/usr/bin/etcd, etcdctl): a file written by MvccStore restored into an etcd
// data dir (etcdctl snapshot restore --skip-hash-check) and served by etcd must show the same keys,
// revisions, versions and HashKV; and an etcd data file (member/snap/db) opened by MvccStore must too.
// Skipped when etcd is not installed.
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyValue } from "../../../engine/mvcc/key_value.ts";
import { MvccStore } from "../../../engine/mvcc/store.ts";
import { runEtcdctl, startEtcd } from "../../support/etcd.ts";

const haveEtcd = existsSync("/usr/bin/etcd") && existsSync("/usr/bin/etcdctl");
const dir = mkdtempSync(join(tmpdir(), "mvcc-etcd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const b = (s: string) => enc.encode(s);

interface JsonKv {
  key: string;
  create_revision: number;
  mod_revision: number;
  version: number;
  value?: string;
  lease?: number;
}

/** A KeyValue as etcdctl -w json prints it. */
function toJson(kv: KeyValue): JsonKv {
  const out: JsonKv = {
    key: Buffer.from(kv.key).toString("base64"),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
  };
  if (kv.value.length > 0) out.value = Buffer.from(kv.value).toString("base64");
  return out;
}

async function etcdGetAll(etcdctl: (a: string[]) => Promise<{ code: number; stdout: string; stderr: string }>) {
  const r = await etcdctl(["get", "", "--from-key", "-w", "json"]);
  expect(r.code).toBe(0);
  const j = JSON.parse(r.stdout) as { header: { revision: number }; kvs?: JsonKv[]; count?: number };
  return { revision: j.header.revision, kvs: j.kvs ?? [] };
}

async function etcdHashKV(etcdctl: (a: string[]) => Promise<{ code: number; stdout: string; stderr: string }>) {
  const r = await etcdctl(["endpoint", "hashkv", "-w", "json"]);
  expect(r.code).toBe(0);
  const j = JSON.parse(r.stdout) as { HashKV: { hash: number; compact_revision?: number; header: { revision: number } } }[];
  return { hash: j[0].HashKV.hash, compactRevision: j[0].HashKV.compact_revision ?? 0, revision: j[0].HashKV.header.revision };
}

function writeSample(store: MvccStore): void {
  let index = 0;
  const e = () => ({ index: ++index, term: 1 });
  for (let i = 0; i < 50; i++) store.put({ key: b(`/k/${i % 17}`), value: b(`value-${i}`) }, e());
  store.put({ key: b("/empty"), value: new Uint8Array(0) }, e());
  store.put({ key: new Uint8Array([0xff, 0x00, 0x01]), value: new Uint8Array([0, 1, 2, 255]) }, e());
  store.deleteRange({ key: b("/k/1"), rangeEnd: b("/k/2") }, e());
  store.txn(
    {
      compare: [{ key: b("/k/3"), target: 0, result: 1, version: 0 }],
      success: [
        { case: "requestPut", value: { key: b("/t/a"), value: b("A") } },
        { case: "requestPut", value: { key: b("/t/b"), value: b("B") } },
        { case: "requestDeleteRange", value: { key: b("/k/4") } },
      ],
    },
    e(),
  );
  for (let i = 0; i < 10; i++) store.put({ key: b(`/k/${i}`), value: b(`late-${i}`) }, e());
}

test.skipIf(!haveEtcd)("a file written by MvccStore is served by the real etcd after snapshot restore", async () => {
  const file = join(dir, "ours.db");
  const store = MvccStore.open(file, { noSync: true });
  writeSample(store);
  const compactAt = store.currentRevision - 5;
  await store.compact(compactAt).done;
  const ours = store.range({ key: new Uint8Array([0]), rangeEnd: new Uint8Array([0]) });
  const ourHash = store.hashKV();
  store.close();

  const dataDir = join(dir, "restored");
  const restore = await runEtcdctl("http://127.0.0.1:1", ["snapshot", "restore", file, "--skip-hash-check", "--data-dir", dataDir]);
  expect(restore.code).toBe(0);
  const etcd = await startEtcd(dataDir);
  try {
    const theirs = await etcdGetAll(etcd.etcdctl);
    expect(theirs.revision).toBe(ours.header.revision);
    expect(theirs.kvs).toEqual(ours.kvs.map(toJson));
    const h = await etcdHashKV(etcd.etcdctl);
    expect(h.revision).toBe(ourHash.revision);
    expect(h.compactRevision).toBe(compactAt);
    expect(h.hash).toBe(ourHash.hash);
    // etcd refuses to read below our compaction
    const old = await etcd.etcdctl(["get", "/k/0", `--rev=${compactAt - 1}`]);
    expect(old.stderr).toContain("required revision has been compacted");
  } finally {
    await etcd.stop();
  }
}, 60_000);

test.skipIf(!haveEtcd)("an etcd data file opens in MvccStore with the same keys, revisions and HashKV", async () => {
  const dataDir = join(dir, "etcd-data");
  const etcd = await startEtcd(dataDir);
  let want: Awaited<ReturnType<typeof etcdGetAll>>;
  let wantHash: Awaited<ReturnType<typeof etcdHashKV>>;
  let wantHashOld: number;
  try {
    const ctl = etcd.etcdctl;
    for (let i = 0; i < 30; i++) expect((await ctl(["put", `/e/${i % 7}`, `v${i}`])).code).toBe(0);
    expect((await ctl(["del", "/e/1"])).code).toBe(0);
    expect((await ctl(["del", "/e/5", "/e/7"])).code).toBe(0);
    expect((await ctl(["compact", "20"])).code).toBe(0);
    for (let i = 0; i < 5; i++) expect((await ctl(["put", `/f/${i}`, `w${i}`])).code).toBe(0);
    want = await etcdGetAll(ctl);
    wantHash = await etcdHashKV(ctl);
    const old = await ctl(["endpoint", "hashkv", "-w", "json", "--rev=25"]);
    wantHashOld = (JSON.parse(old.stdout) as { HashKV: { hash: number } }[])[0].HashKV.hash;
  } finally {
    await etcd.stop();
  }
  const copy = join(dir, "from-etcd.db");
  copyFileSync(join(dataDir, "member", "snap", "db"), copy);
  const store = MvccStore.open(copy, { noSync: true });
  try {
    await store.resumedCompaction;
    const ours = store.range({ key: new Uint8Array([0]), rangeEnd: new Uint8Array([0]) });
    expect(ours.header.revision).toBe(want.revision);
    expect(ours.kvs.map(toJson)).toEqual(want.kvs);
    expect(store.compactRevision).toBe(20);
    expect(store.consistentIndex().index).toBeGreaterThan(30);
    const h = store.hashKV();
    expect(h).toEqual({ hash: wantHash.hash, revision: wantHash.revision, compactRevision: 20 });
    expect(store.hashKV(25).hash).toBe(wantHashOld);
  } finally {
    store.close();
  }
}, 60_000);
