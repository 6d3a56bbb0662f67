// Test support: the Raft safety properties (paper Figure 3), checked against live nodes after every
// simulation step. Each check throws an Error naming the property and the evidence.
//   election safety: at most one leader per term;
//   log matching: (index, term) identifies an entry's data and its predecessor's term, on every node;
//   leader completeness: a leader of term T holds every entry seen committed at a term below T;
//   state machine safety: every node applies the same entry (and reaches the same state) at each index.
import type { RaftNode } from "../../../../engine/raft/node.ts";
import { StateType } from "../../../../engine/raft/role.ts";
import type { Entry, NodeId } from "../../../../engine/raft/types.ts";

interface CommittedEntry {
  term: number;
  /** A term at which some node knew the entry was committed (>= the term in which it was committed). */
  seenAtTerm: number;
}

const key = (index: number, term: number) => index * 1_048_576 + term;

export function entryDigest(e: Entry): string {
  let s = `${e.type}:`;
  for (let i = 0; i < e.data.length; i++) s += String.fromCharCode(e.data[i]);
  return s;
}

export class SafetyChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly entryAt = new Map<number, string>();
  private readonly prevTermAt = new Map<number, number>();
  private readonly committed = new Map<number, CommittedEntry>();
  private readonly appliedAt = new Map<number, string>();
  private readonly stateAt = new Map<number, number>();
  private readonly commitSeen = new Map<NodeId, number>();
  private maxCommitted = 0;
  private maxAppliedIndex = 0;
  checks = 0;

  /** Runs every log-level check over the live nodes. */
  check(nodes: RaftNode[]): void {
    this.checks++;
    for (const n of nodes) {
      this.checkElectionSafety(n);
      this.checkLogMatching(n);
      this.recordCommitted(n);
    }
    for (const n of nodes) this.checkLeaderCompleteness(n);
  }

  private checkElectionSafety(n: RaftNode): void {
    const r = n.raft;
    if (r.state !== StateType.StateLeader) return;
    const other = this.leaderOfTerm.get(r.term);
    if (other !== undefined && other !== r.id) throw new Error(`election safety: ${other} and ${r.id} both leaders of term ${r.term}`);
    this.leaderOfTerm.set(r.term, r.id);
  }

  private checkLogMatching(n: RaftNode): void {
    const log = n.raft.raftLog;
    const first = log.firstIndex();
    const last = log.lastIndex();
    if (last < first) return;
    let prevTerm = log.term(first - 1);
    for (const e of log.slice(first, last + 1, Infinity)) {
      const k = key(e.index, e.term);
      const d = entryDigest(e);
      const known = this.entryAt.get(k);
      if (known === undefined) this.entryAt.set(k, d);
      else if (known !== d) throw new Error(`log matching: node ${n.raft.id} has a different entry at index ${e.index} term ${e.term}`);
      const knownPrev = this.prevTermAt.get(k);
      if (knownPrev === undefined) this.prevTermAt.set(k, prevTerm);
      else if (knownPrev !== prevTerm) {
        throw new Error(`log matching: node ${n.raft.id} entry ${e.index}/${e.term} follows term ${prevTerm}, elsewhere ${knownPrev}`);
      }
      prevTerm = e.term;
    }
  }

  private recordCommitted(n: RaftNode): void {
    const r = n.raft;
    const log = r.raftLog;
    const from = Math.max(this.commitSeen.get(r.id) ?? 0, log.firstIndex() - 1) + 1;
    for (let i = from; i <= log.committed; i++) {
      const t = log.term(i);
      const c = this.committed.get(i);
      if (c === undefined) this.committed.set(i, { term: t, seenAtTerm: r.term });
      else if (c.term !== t) throw new Error(`commit safety: node ${r.id} committed term ${t} at index ${i}, elsewhere term ${c.term}`);
    }
    this.commitSeen.set(r.id, log.committed);
    if (log.committed > this.maxCommitted) this.maxCommitted = log.committed;
  }

  /** Forgets where a restarted node's commit scan stood (its commit index restarts from its HardState). */
  nodeRestarted(id: NodeId): void {
    this.commitSeen.delete(id);
  }

  private checkLeaderCompleteness(n: RaftNode): void {
    const r = n.raft;
    if (r.state !== StateType.StateLeader) return;
    const log = r.raftLog;
    for (let i = log.firstIndex(); i <= this.maxCommitted; i++) {
      const c = this.committed.get(i);
      if (c === undefined || c.seenAtTerm >= r.term) continue;
      if (i > log.lastIndex() || log.term(i) !== c.term) {
        throw new Error(`leader completeness: leader ${r.id} of term ${r.term} lacks entry ${i}/${c.term} committed by term ${c.seenAtTerm}`);
      }
    }
  }

  /** A node applied entry e, reaching state digest `state`; checks it matches every other node. */
  applied(id: NodeId, e: Entry, state: number): void {
    const d = entryDigest(e);
    const known = this.appliedAt.get(e.index);
    if (known === undefined) this.appliedAt.set(e.index, d);
    else if (known !== d) throw new Error(`state machine safety: node ${id} applied a different entry at index ${e.index}`);
    this.appliedState(id, e.index, state);
  }

  /** A node's state machine reached `state` at index (by applying entries or a snapshot). */
  appliedState(id: NodeId, index: number, state: number): void {
    const known = this.stateAt.get(index);
    if (known === undefined) this.stateAt.set(index, state);
    else if (known !== state) throw new Error(`state machine safety: node ${id} state at index ${index} differs`);
    if (index > this.maxAppliedIndex) this.maxAppliedIndex = index;
  }

  /** Lowest index at which an entry with this digest was applied, or 0. */
  appliedIndexOf(digest: string): number {
    let best = 0;
    for (const [i, d] of this.appliedAt) if (d === digest && (best === 0 || i < best)) best = i;
    return best;
  }

  /** Highest index any node has applied (every write acknowledged so far is at or below it). */
  maxApplied(): number {
    return this.maxAppliedIndex;
  }
}
