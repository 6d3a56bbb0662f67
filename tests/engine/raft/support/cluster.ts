// Test support: a cluster of RaftNodes over a synchronous in-memory network for scenario tests.
// Messages are delivered in FIFO order until nothing is left (stabilize); links can be cut, nodes
// isolated, crashed and restarted from exactly what they persisted, and messages filtered.
import { MemoryStorage } from "../../../../engine/raft/memory_storage.ts";
import { type Message, MessageType } from "../../../../engine/raft/message.ts";
import { RaftNode } from "../../../../engine/raft/node.ts";
import type { ReadState } from "../../../../engine/raft/raft.ts";
import { StateType } from "../../../../engine/raft/role.ts";
import { EMPTY_BYTES, type Entry, EntryType, type NodeId } from "../../../../engine/raft/types.ts";
import { applyReady, persistReady } from "./apply.ts";

export interface ClusterOptions {
  voters: NodeId[];
  learners?: NodeId[];
  electionTick?: number;
  heartbeatTick?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  maxSizePerMsg?: number;
  maxInflightMsgs?: number;
}

export class TestPeer {
  readonly storage = new MemoryStorage();
  node!: RaftNode;
  /** Data of every applied normal entry, by index. */
  readonly applied = new Map<number, string>();
  readonly readStates: ReadState[] = [];

  constructor(
    readonly id: NodeId,
    private readonly opts: ClusterOptions,
  ) {}

  start(): void {
    const o = this.opts;
    const applied = this.storage.snapshot().metadata.index;
    this.node = new RaftNode({
      id: this.id,
      storage: this.storage,
      applied,
      electionTick: o.electionTick ?? 10,
      heartbeatTick: o.heartbeatTick ?? 1,
      preVote: o.preVote ?? true,
      checkQuorum: o.checkQuorum ?? true,
      maxSizePerMsg: o.maxSizePerMsg,
      maxInflightMsgs: o.maxInflightMsgs,
    });
  }

  get raft() {
    return this.node.raft;
  }

  /** Runs one Ready cycle (persist, apply, advance) and returns the messages to send. */
  processReady(): Message[] {
    const rd = this.node.ready();
    persistReady(this.storage, rd);
    for (const rs of rd.readStates) this.readStates.push(rs);
    applyReady(this.node, rd, {
      entry: (e: Entry) => {
        if (e.type === EntryType.EntryNormal && e.data.length > 0) this.applied.set(e.index, new TextDecoder().decode(e.data));
      },
    });
    this.node.advance();
    return rd.messages;
  }

  appliedData(): string[] {
    return [...this.applied.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  }
}

export class Cluster {
  readonly peers = new Map<NodeId, TestPeer>();
  private readonly cut = new Set<string>();
  private readonly down = new Set<NodeId>();
  /** Return false to drop a message in flight. */
  filter: ((m: Message) => boolean) | null = null;
  /** Every message delivered, for assertions. */
  readonly delivered: Message[] = [];

  constructor(readonly opts: ClusterOptions) {
    const confState = { voters: opts.voters, learners: opts.learners ?? [] };
    for (const id of [...opts.voters, ...(opts.learners ?? [])]) {
      const p = new TestPeer(id, opts);
      // Start from a snapshot at index 1 that holds the initial configuration.
      p.storage.applySnapshot({ data: EMPTY_BYTES, metadata: { index: 1, term: 1, confState } });
      p.storage.setHardState({ term: 1, vote: 0n, commit: 1 });
      p.start();
      this.peers.set(id, p);
    }
  }

  peer(id: NodeId): TestPeer {
    return this.peers.get(id)!;
  }

  /** Adds a node with empty storage (it learns everything from the leader). */
  addEmptyPeer(id: NodeId): TestPeer {
    const p = new TestPeer(id, this.opts);
    p.start();
    this.peers.set(id, p);
    return p;
  }

  private linkUp(from: NodeId, to: NodeId): boolean {
    return !this.down.has(from) && !this.down.has(to) && !this.cut.has(`${from}>${to}`) && this.peers.has(to);
  }

  /** Processes Readys and delivers messages until the cluster is quiescent. */
  stabilize(maxSteps = 100_000): void {
    const queue: Message[] = [];
    for (let steps = 0; steps < maxSteps; steps++) {
      for (let busy = true; busy; ) {
        busy = false;
        for (const [id, p] of this.peers) {
          if (this.down.has(id) || !p.node.hasReady()) continue;
          busy = true;
          for (const m of p.processReady()) queue.push(m);
        }
      }
      const m = queue.shift();
      if (m === undefined) return;
      if (!this.linkUp(m.from, m.to) || (this.filter !== null && !this.filter(m))) continue;
      this.delivered.push(m);
      this.peer(m.to).node.step(m);
    }
    throw new Error("cluster did not stabilize");
  }

  /** Ticks every live node `times` times, stabilizing after each round. */
  tickAll(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const [id, p] of this.peers) if (!this.down.has(id)) p.node.tick();
      this.stabilize();
    }
  }

  tick(id: NodeId, times = 1): void {
    for (let i = 0; i < times; i++) {
      this.peer(id).node.tick();
      this.stabilize();
    }
  }

  campaign(id: NodeId): void {
    this.peer(id).node.campaign();
    this.stabilize();
  }

  propose(id: NodeId, data: string): void {
    this.peer(id).node.propose(new TextEncoder().encode(data));
    this.stabilize();
  }

  /** Cuts both directions between a and b. */
  cutLink(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}>${b}`);
    this.cut.add(`${b}>${a}`);
  }

  /** Cuts every link of id (the node keeps running). */
  isolate(id: NodeId): void {
    for (const other of this.peers.keys()) if (other !== id) this.cutLink(id, other);
  }

  /** Splits the cluster into groups that cannot talk to each other. */
  partition(...groups: NodeId[][]): void {
    for (const g of groups) for (const h of groups) if (g !== h) for (const a of g) for (const b of h) this.cut.add(`${a}>${b}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /** Stops a node: its volatile state is lost; only its storage survives. */
  crash(id: NodeId): void {
    this.down.add(id);
  }

  restart(id: NodeId): void {
    this.down.delete(id);
    this.peer(id).start();
  }

  /** The live leader of the highest term, or null. */
  leader(): TestPeer | null {
    let best: TestPeer | null = null;
    for (const [id, p] of this.peers) {
      if (this.down.has(id) || p.raft.state !== StateType.StateLeader) continue;
      if (best === null || p.raft.term > best.raft.term) best = p;
    }
    return best;
  }

  count(type: MessageType): number {
    return this.delivered.filter((m) => m.type === type).length;
  }
}

export const enc = (s: string) => new TextEncoder().encode(s);
