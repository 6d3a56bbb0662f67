// Benchmark of the Raft state machine alone (engine/raft): proposals committed per second through a
// one-voter node and through a 3-node cluster, both over in-memory storage with synchronous delivery.
// It measures the module's own cost (no disk, no network). Goal: > 500,000 proposals/s for one voter.
// Args: --n=<proposals per run> (default 200000), --runs=<runs> (default 5). Reports medians.
import { MemoryStorage } from "../../engine/raft/memory_storage.ts";
import type { Message } from "../../engine/raft/message.ts";
import { RaftNode } from "../../engine/raft/node.ts";
import type { Ready } from "../../engine/raft/ready.ts";
import { EMPTY_BYTES } from "../../engine/raft/types.ts";
import { fmt, median, printTable } from "./table.ts";

interface Member {
  node: RaftNode;
  storage: MemoryStorage;
}

function makeCluster(size: number): Member[] {
  const ids = Array.from({ length: size }, (_, i) => BigInt(i + 1));
  return ids.map((id) => {
    const storage = new MemoryStorage();
    storage.applySnapshot({ data: EMPTY_BYTES, metadata: { index: 1, term: 1, confState: { voters: ids, learners: [] } } });
    storage.setHardState({ term: 1, vote: 0n, commit: 1 });
    return { node: new RaftNode({ id, storage, maxInflightMsgs: 4096 }), storage };
  });
}

/** One Ready cycle as the server does it; returns the number of committed entries it applied. */
function processReady(m: Member, out: Message[]): number {
  const rd: Ready = m.node.ready();
  if (rd.snapshot !== null) m.storage.applySnapshot(rd.snapshot);
  if (rd.entries.length !== 0) m.storage.append(rd.entries);
  if (rd.hardState !== null) m.storage.setHardState(rd.hardState);
  for (let i = 0; i < rd.messages.length; i++) out.push(rd.messages[i]);
  const applied = rd.committedEntries.length;
  m.node.advance();
  return applied;
}

/** Keeps memory flat across long runs: snapshot and compact what was applied. */
function compact(m: Member): void {
  const applied = m.node.raft.raftLog.applied;
  if (applied - m.storage.firstIndex() < 100_000) return;
  m.storage.createSnapshot(applied, null, EMPTY_BYTES);
  m.storage.compact(applied);
}

/** Runs `n` proposals in batches through the cluster; returns committed proposals per second on the leader. */
function run(size: number, n: number, batch: number): number {
  const members = makeCluster(size);
  const leader = members[0];
  leader.node.campaign();
  const queue: Message[] = [];
  const settle = (): number => {
    let leaderApplied = 0;
    for (;;) {
      let busy = false;
      for (const m of members) {
        if (!m.node.hasReady()) continue;
        busy = true;
        const a = processReady(m, queue);
        if (m === leader) leaderApplied += a;
      }
      if (queue.length !== 0) {
        busy = true;
        for (let i = 0; i < queue.length; i++) members[Number(queue[i].to) - 1].node.step(queue[i]);
        queue.length = 0;
      }
      if (!busy) return leaderApplied;
    }
  };
  settle();
  const data = new Uint8Array(64);
  let committed = 0;
  const t0 = performance.now();
  for (let sent = 0; sent < n; sent += batch) {
    for (let j = 0; j < batch; j++) leader.node.propose(data);
    committed += settle();
    if ((sent & 0xffff) < batch) for (const m of members) compact(m);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (committed < n) throw new Error(`only ${committed} of ${n} proposals committed`);
  return n / seconds;
}

export default async function (args: string[]): Promise<void> {
  const arg = (name: string, dflt: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? dflt);
  const n = arg("n", 200_000);
  const runs = arg("runs", 5);
  const rows: (string | number)[][] = [];
  for (const size of [1, 3]) {
    for (const batch of [1, 16, 256]) {
      const rate = await median(runs, () => run(size, n, batch));
      rows.push([size === 1 ? "1 voter" : `${size} voters`, batch, fmt(rate)]);
    }
  }
  console.log(`Proposals committed per second (64-byte payloads, ${fmt(n)} per run, median of ${runs} runs; in-memory storage, synchronous delivery)\n`);
  printTable(["cluster", "proposals per Ready", "proposals/s"], rows);
}
