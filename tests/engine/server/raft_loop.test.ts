// The Raft driver with one voter, a real WAL and an in-memory Raft storage: concurrent proposals are all
// applied once, in log order, only after they are durable in the WAL (checked by reopening it), several per
// fsync (group commit); linearizable reads wait until everything acknowledged before them is applied.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EntryType, MemoryStorage, RaftNode, StateType, decodeConfChange, type Entry } from "../../../engine/raft/index.ts";
import { Wal } from "../../../engine/wal/index.ts";
import { RaftLoop } from "../../../engine/server/raft_loop.ts";
import { ReadIndexer } from "../../../engine/server/read_index.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-raftloop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("one voter: proposals are applied in order after they are durable; reads are linearizable", async () => {
  const id = 1n;
  const wal = await Wal.create(join(dir, "wal"), { memberId: id, clusterId: 7n }, { segmentBytes: 1 << 20 });
  const storage = new MemoryStorage();
  const node = new RaftNode({ id, storage, electionTick: 10, heartbeatTick: 1 });
  node.bootstrap([{ id }]);
  const applied: string[] = [];
  let lastAppliedIndex = 0;
  let leader = false;
  let fatalError: unknown = null;
  const reads = new ReadIndexer(
    (ctx) => {
      node.readIndex(ctx);
      loop.kick();
    },
    () => loop.applied,
  );
  const loop: RaftLoop = new RaftLoop(node, storage, wal, {
    apply(entries: Entry[]) {
      for (const e of entries) {
        expect(e.index).toBe(lastAppliedIndex + 1);
        lastAppliedIndex = e.index;
        if (e.type === EntryType.EntryConfChange) node.applyConfChange(decodeConfChange(e.data));
        else if (e.data.length) applied.push(new TextDecoder().decode(e.data));
      }
      queueMicrotask(() => reads.onApplied());
    },
    softState: (s) => (leader = s.state === StateType.StateLeader),
    readStates: (rs) => reads.onReadStates(rs),
    fatal: (e) => {
      fatalError = e;
    },
  });
  loop.start(5);
  node.campaign();
  loop.kick();
  for (let i = 0; i < 200 && !leader; i++) await Bun.sleep(5);
  expect(fatalError).toBeNull();
  expect(leader).toBe(true);

  const n = 2000;
  const fsyncsBefore = wal.stats.fsyncs;
  for (let i = 0; i < n; i++) node.propose(new TextEncoder().encode(`v${i}`));
  loop.kick();
  await reads.wait();
  // Everything proposed before the read was applied by the time the read returns.
  expect(applied.length).toBe(n);
  expect(applied).toEqual(Array.from({ length: n }, (_, i) => `v${i}`));
  expect(wal.stats.fsyncs - fsyncsBefore).toBeLessThan(n / 10);

  expect(fatalError).toBeNull();
  await loop.stop();
  await wal.close();
  const reopened = await Wal.open(join(dir, "wal"), { index: 0, term: 0 });
  const { entries } = reopened.readAll();
  const inWal = entries.filter((e) => e.type === EntryType.EntryNormal && e.data.length).map((e) => new TextDecoder().decode(e.data));
  expect(inWal).toEqual(applied);
  await reopened.close();
});
