// A restart whose commit index is exactly the newest snapshot's, past etcd's 5,000-entry apply gap: nothing is
// left to apply, and the member must still count the snapshot as applied, or its first proposal (publishing
// its new client URL) is refused as "too many requests" and it never becomes ready. With a learner in the
// configuration.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { MemberAddRequestSchema, PutRequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EtcdServer, type EtcdServerConfig } from "../../../engine/server/etcd_server.ts";
import { Logger } from "../../../engine/server/log.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-restart-snap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const peer = "http://127.0.0.1:1";
const cfg: EtcdServerConfig = {
  name: "default", dataDir: dir, walDir: "", initialCluster: `default=${peer}`, initialClusterToken: "etcd-cluster",
  initialAdvertisePeerUrls: [peer], snapshotCount: 100, heartbeatMs: 100, electionMs: 1000, advertiseClientUrls: ["http://127.0.0.1:2"],
  maxRequestBytes: 1_572_864, maxTxnOps: 128, quotaBackendBytes: 0,
};
const log = new Logger({ sink: () => undefined });
const enc = new TextEncoder();

test("a member restarted at its snapshot index becomes ready", async () => {
  // (The first run's fatal errors are not this test's subject: a snapshot's WAL write can still be in flight
  // at stop().)
  const s = await EtcdServer.start(cfg, log, () => undefined);
  await s.ready;
  await s.memberAdd(create(MemberAddRequestSchema, { peerURLs: ["http://127.0.0.1:3"], isLearner: true }));
  const status = async () => {
    const st = await s.status();
    return { committed: Number(st.raftIndex), applied: Number(st.raftAppliedIndex) };
  };
  // The newest .snap file's index (etcd's <term>-<index>.snap names, in hex).
  const newestSnap = () => Math.max(0, ...readdirSync(join(dir, "member", "snap")).filter((f) => f.endsWith(".snap")).map((f) => parseInt(f.slice(17, 33), 16)));
  // Puts until the newest snapshot is the entry before the last: the WAL's HardState (its commit index is
  // written with the next entries) then says committed = the snapshot's index, past 5,000.
  for (let i = 0; ; i++) {
    await s.put(create(PutRequestSchema, { key: enc.encode(`k${i % 10}`), value: enc.encode(`v${i}`) }));
    const { committed, applied } = await status();
    if (committed > 5100 && committed === applied && newestSnap() === committed - 1) break;
    if (i > 7000) throw new Error("no snapshot at the commit index");
  }
  await s.stop();
  let fatal: unknown = null;
  // A new client URL, so the restarted member has attributes to publish through Raft.
  const again = await EtcdServer.start({ ...cfg, advertiseClientUrls: ["http://127.0.0.1:4"] }, log, (e) => (fatal = e));
  const ready = await Promise.race([again.ready.then(() => true), Bun.sleep(5000).then(() => false)]);
  await again.stop();
  expect(fatal).toBeNull();
  expect(ready).toBe(true);
}, 60_000);
