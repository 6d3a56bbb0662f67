// Test support: a seeded, deterministic simulation of a Raft cluster over a hostile network.
// Each step is one random action: deliver a random in-flight message (so messages are reordered and
// delayed), possibly dropping or duplicating it; tick; propose; read; crash (possibly between persisting
// a Ready and sending its messages) and restart from exactly what was persisted; partition and heal;
// compact a log into a snapshot; transfer leadership. SafetyChecker runs after every step.
import { decodeConfChange } from "../../../../engine/raft/conf_change_codec.ts";
import { MemoryStorage } from "../../../../engine/raft/memory_storage.ts";
import { type Message, MessageType } from "../../../../engine/raft/message.ts";
import { RaftNode } from "../../../../engine/raft/node.ts";
import { createRng, type Rng } from "../../../../engine/raft/rand.ts";
import { StateType } from "../../../../engine/raft/role.ts";
import { ProposalDroppedError } from "../../../../engine/raft/errors.ts";
import { type ConfState, type Entry, EntryType, type NodeId } from "../../../../engine/raft/types.ts";
import { persistReady } from "./apply.ts";
import type { Ready } from "../../../../engine/raft/ready.ts";
import { SafetyChecker, entryDigest } from "./invariants.ts";

export interface SimOptions {
  size: number;
  seed: number;
  steps: number;
  electionTick?: number;
}

export interface SimStats {
  steps: number;
  proposed: number;
  applied: number;
  reads: number;
  crashes: number;
  partitions: number;
  snapshots: number;
  maxTerm: number;
  maxCommit: number;
  livenessTicks: number;
}

function mix(state: number, e: Entry): number {
  const d = entryDigest(e);
  let h = state ^ e.index;
  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d.charCodeAt(i), 16777619) >>> 0;
  return h >>> 0;
}

function encodeState(index: number, state: number): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setFloat64(0, index);
  v.setUint32(8, state);
  return b;
}

function decodeState(b: Uint8Array): { index: number; state: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { index: v.getFloat64(0), state: v.getUint32(8) };
}

class SimNode {
  readonly storage = new MemoryStorage();
  node: RaftNode | null = null;
  smIndex = 0;
  smState = 0;
  confState: ConfState;
  proposals = 0;
  /** A leader's Ready whose messages went out before its entries were persisted (etcd's pipelining). */
  unpersisted: Ready | null = null;

  constructor(
    readonly id: NodeId,
    voters: NodeId[],
  ) {
    this.confState = { voters, learners: [] };
    this.storage.applySnapshot({ data: encodeState(1, 0), metadata: { index: 1, term: 1, confState: this.confState } });
    this.storage.setHardState({ term: 1, vote: 0n, commit: 1 });
  }

  start(electionTick: number, seed: number): void {
    const snap = this.storage.snapshot();
    const s = decodeState(snap.data);
    this.smIndex = s.index;
    this.smState = s.state;
    this.confState = snap.metadata.confState;
    this.node = new RaftNode({ id: this.id, storage: this.storage, applied: s.index, electionTick, heartbeatTick: 1, randomSeed: seed });
  }
}

export class Simulation {
  readonly rng: Rng;
  readonly nodes: SimNode[];
  readonly checker = new SafetyChecker();
  private inflight: Message[] = [];
  private cut = new Set<string>();
  private dropRate = 0;
  private dupRate = 0;
  private pendingReads = new Map<string, number>();
  private readSeq = 0;
  readonly stats: SimStats = { steps: 0, proposed: 0, applied: 0, reads: 0, crashes: 0, partitions: 0, snapshots: 0, maxTerm: 0, livenessTicks: 0, maxCommit: 0 };
  private readonly electionTick: number;

  constructor(readonly opts: SimOptions) {
    this.rng = createRng(opts.seed);
    this.electionTick = opts.electionTick ?? 6;
    const ids = Array.from({ length: opts.size }, (_, i) => BigInt(i + 1));
    this.nodes = ids.map((id) => new SimNode(id, ids));
    for (const n of this.nodes) n.start(this.electionTick, this.rng.int(2 ** 31));
  }

  private live(): SimNode[] {
    return this.nodes.filter((n) => n.node !== null);
  }

  private pick<T>(xs: T[]): T | undefined {
    return xs.length === 0 ? undefined : xs[this.rng.int(xs.length)];
  }

  private byId(id: NodeId): SimNode {
    return this.nodes[Number(id) - 1];
  }

  /** Runs the chaotic phase, then heals everything and checks liveness. */
  run(): SimStats {
    for (let i = 0; i < this.opts.steps; i++) {
      this.step();
      this.stats.steps++;
    }
    this.checkLiveness();
    return this.stats;
  }

  /** Fault intensity of the current phase: 0 calm (no faults), 1 moderate, 2 stormy. Changes every 250 steps. */
  private intensity = 0;

  step(): void {
    if (this.stats.steps % 250 === 0) this.setPhase(this.rng.int(3));
    const f = this.intensity;
    // Cumulative weights of the actions; faults only outside calm phases.
    const actions: [number, () => void][] = [
      [50, () => this.deliverSome()],
      [8, () => this.live().forEach((n) => n.node!.tick())],
      [4, () => this.pick(this.live())?.node!.tick()],
      [12, () => this.propose()],
      [4, () => this.read()],
      [2, () => this.compact()],
      [1, () => this.transfer()],
      [2, () => this.restart()],
      [2, () => this.cut.clear()],
      [f, () => this.crash()],
      [f, () => this.partition()],
    ];
    let roll = this.rng.next() * actions.reduce((a, [w]) => a + w, 0);
    for (const [w, act] of actions) {
      if (roll < w) {
        act();
        break;
      }
      roll -= w;
    }
    for (const n of this.nodes) if (n.unpersisted !== null && this.rng.next() < 0.3) this.flushUnpersisted(n);
    this.processReadys();
    this.checker.check(this.live().map((n) => n.node!));
    for (const n of this.live()) {
      this.stats.maxTerm = Math.max(this.stats.maxTerm, n.node!.raft.term);
      this.stats.maxCommit = Math.max(this.stats.maxCommit, n.node!.raft.raftLog.committed);
    }
  }

  private setPhase(intensity: number): void {
    this.intensity = intensity;
    this.dropRate = [0, 0.05, 0.2][intensity];
    this.dupRate = [0, 0.03, 0.1][intensity];
    if (intensity === 0) {
      for (const n of this.nodes) if (n.unpersisted !== null) this.flushUnpersisted(n);
      this.cut.clear();
      for (const n of this.nodes) if (n.node === null) this.restart(n);
    }
  }

  /** Delivers a few random messages (more when the network is backed up). */
  private deliverSome(): void {
    const n = 1 + this.rng.int(2 + (this.inflight.length >> 2));
    for (let i = 0; i < n; i++) this.deliverOne();
  }

  private deliverOne(): void {
    if (this.inflight.length === 0) return;
    const k = this.rng.int(this.inflight.length);
    const m = this.inflight[k];
    const dup = this.rng.next() < this.dupRate;
    if (!dup) {
      this.inflight[k] = this.inflight[this.inflight.length - 1];
      this.inflight.pop();
    }
    const drop = this.rng.next() < this.dropRate;
    this.deliver(dup ? { ...m } : m, drop);
  }

  private deliver(m: Message, drop: boolean): void {
    const to = this.byId(m.to);
    const from = this.byId(m.from);
    const lost = drop || to.node === null || this.cut.has(`${m.from}>${m.to}`);
    if (!lost) to.node!.step(m);
    if (m.type === MessageType.MsgSnap && from.node !== null) from.node.reportSnapshot(m.to, lost);
    else if (lost && m.type === MessageType.MsgApp && from.node !== null && this.rng.next() < 0.3) from.node.reportUnreachable(m.to);
  }

  private propose(): void {
    const n = this.pick(this.live());
    if (n === undefined) return;
    const data = new TextEncoder().encode(`p${n.id}-${++n.proposals}`);
    try {
      n.node!.propose(data);
      this.stats.proposed++;
    } catch (e) {
      if (!(e instanceof ProposalDroppedError)) throw e;
    }
  }

  private read(): void {
    const n = this.pick(this.live());
    if (n === undefined) return;
    const ctx = `r${++this.readSeq}`;
    try {
      n.node!.readIndex(new TextEncoder().encode(ctx));
      // Every write acknowledged before the read started must be visible at the read index.
      this.pendingReads.set(ctx, this.checker.maxApplied());
    } catch (e) {
      if (!(e instanceof ProposalDroppedError)) throw e;
    }
  }

  private crash(): void {
    // Half the time, prefer a leader caught between sending and persisting: the riskiest moment.
    const exposed = this.nodes.filter((x) => x.unpersisted !== null);
    const n = exposed.length > 0 && this.rng.next() < 0.5 ? this.pick(exposed) : this.pick(this.live());
    if (n === undefined) return;
    this.stats.crashes++;
    n.node = null;
    n.unpersisted = null;
  }

  private restart(n = this.pick(this.nodes.filter((x) => x.node === null))): void {
    if (n === undefined) return;
    n.start(this.electionTick, this.rng.int(2 ** 31));
    this.checker.nodeRestarted(n.id);
  }

  private partition(): void {
    this.stats.partitions++;
    this.cut.clear();
    const side = new Map(this.nodes.map((n) => [n.id, this.rng.next() < 0.5]));
    for (const a of this.nodes) for (const b of this.nodes) if (side.get(a.id) !== side.get(b.id)) this.cut.add(`${a.id}>${b.id}`);
  }

  private compact(): void {
    const n = this.pick(this.live());
    if (n === undefined) return;
    const snapIndex = n.storage.snapshot().metadata.index;
    if (n.smIndex <= snapIndex + 2) return;
    n.storage.createSnapshot(n.smIndex, n.confState, encodeState(n.smIndex, n.smState));
    n.storage.compact(n.smIndex);
    this.stats.snapshots++;
  }

  private transfer(): void {
    const leader = this.live().find((n) => n.node!.raft.state === StateType.StateLeader);
    const target = this.pick(this.nodes);
    if (leader === undefined || target === undefined) return;
    leader.node!.transferLeader(target.id);
  }

  /** Runs every live node's Ready cycle until none has work. */
  processReadys(): void {
    for (let round = 0; round < 1000; round++) {
      let any = false;
      for (const n of this.nodes) {
        if (n.node === null || n.unpersisted !== null || !n.node.hasReady()) continue;
        any = true;
        this.processReady(n);
      }
      if (!any) return;
    }
    throw new Error("ready loop did not settle");
  }

  private processReady(n: SimNode): void {
    const node = n.node!;
    const rd = node.ready();
    if (this.intensity > 0 && this.rng.next() < 0.004 * this.intensity) {
      this.crashDuringReady(n, rd);
      return;
    }
    if (this.intensity > 0 && node.raft.state === StateType.StateLeader && this.rng.next() < 0.3) {
      // A leader may send before its own write is durable; persist (and advance) at a later step.
      for (const m of rd.messages) this.inflight.push(m);
      n.unpersisted = rd;
      return;
    }
    persistReady(n.storage, rd);
    for (const m of rd.messages) this.inflight.push(m);
    this.finishReady(n, rd);
  }

  /** A deferred leader Ready becomes durable. */
  private flushUnpersisted(n: SimNode): void {
    const rd = n.unpersisted!;
    n.unpersisted = null;
    persistReady(n.storage, rd);
    this.finishReady(n, rd);
  }

  /** Applies a persisted Ready and advances the node. */
  private finishReady(n: SimNode, rd: Ready): void {
    const node = n.node!;
    if (rd.snapshot !== null) {
      const s = decodeState(rd.snapshot.data);
      if (s.index !== rd.snapshot.metadata.index) throw new Error("snapshot data does not match its index");
      n.smIndex = s.index;
      n.smState = s.state;
      n.confState = rd.snapshot.metadata.confState;
      this.checker.appliedState(n.id, s.index, s.state);
    }
    for (const e of rd.committedEntries) {
      if (e.index !== n.smIndex + 1) throw new Error(`node ${n.id} applied index ${e.index} after ${n.smIndex}`);
      if (e.type === EntryType.EntryConfChange) n.confState = node.applyConfChange(decodeConfChange(e.data));
      n.smIndex = e.index;
      n.smState = mix(n.smState, e);
      this.checker.applied(n.id, e, n.smState);
      this.stats.applied++;
    }
    for (const rs of rd.readStates) {
      const ctx = new TextDecoder().decode(rs.requestCtx);
      const floor = this.pendingReads.get(ctx);
      if (floor === undefined) throw new Error(`node ${n.id} got a read state for unknown request ${ctx}`);
      if (rs.index < floor) throw new Error(`linearizability: read ${ctx} at index ${rs.index} misses writes applied up to ${floor}`);
      // (A duplicated response may answer the same request twice; each answer must be safe.)
      this.stats.reads++;
    }
    node.advance();
  }

  /**
   * Crashes n part-way through a Ready: before anything was persisted (the Ready is lost), after persisting
   * but before sending, or (a leader only, which ready.ts allows) after sending but before persisting.
   */
  private crashDuringReady(n: SimNode, rd: Ready): void {
    const point = this.rng.int(3);
    if (point === 1) persistReady(n.storage, rd);
    if (point === 2 && n.node!.raft.state === StateType.StateLeader) for (const m of rd.messages) this.inflight.push(m);
    n.node = null;
    n.unpersisted = null;
    this.stats.crashes++;
  }

  /** Heals the network, restarts every node, and requires a leader and a new commit within bounded ticks. */
  private checkLiveness(): void {
    this.setPhase(0);
    const limit = 40 * this.electionTick;
    let ticks = 0;
    const settle = () => {
      for (const n of this.live()) n.node!.tick();
      ticks++;
      this.processReadys();
      while (this.inflight.length > 0) {
        this.deliverOne();
        this.processReadys();
      }
      this.checker.check(this.live().map((n) => n.node!));
    };
    const leader = (): SimNode | undefined => {
      const leaders = this.nodes.filter((n) => n.node!.raft.state === StateType.StateLeader);
      const top = Math.max(...this.nodes.map((n) => n.node!.raft.term));
      return leaders.find((n) => n.node!.raft.term === top);
    };
    while (leader() === undefined) {
      if (ticks >= limit) throw new Error(`liveness: no leader after ${ticks} ticks of a healed network`);
      settle();
    }
    const data = new TextEncoder().encode(`liveness-${this.opts.seed}`);
    const marker = entryDigest({ term: 0, index: 0, type: EntryType.EntryNormal, data });
    let proposedInTerm = -1;
    for (;;) {
      const at = this.checker.appliedIndexOf(marker);
      if (at > 0 && this.nodes.every((n) => n.smIndex >= at)) break;
      if (ticks >= limit) throw new Error(`liveness: proposal not applied on every node after ${ticks} ticks`);
      const l = leader();
      // (Re)propose once per leader term: a proposal can be lost with a leader change.
      if (l !== undefined && l.node!.raft.term !== proposedInTerm) {
        try {
          l.node!.propose(data);
          proposedInTerm = l.node!.raft.term;
        } catch (e) {
          // Dropped (a leadership transfer is in progress): retry on the next tick.
          if (!(e instanceof ProposalDroppedError)) throw e;
        }
      }
      settle();
    }
    this.stats.livenessTicks = ticks;
  }
}
