// The leader's (and candidate's) view of the configuration: a Progress per member, which members vote,
// the votes of the current election, and the majority rules over them. Invariants: every voter and
// learner has a Progress; voters and learners are disjoint; quorum = floor(voters / 2) + 1.
import { Progress } from "./progress.ts";
import type { ConfState, NodeId } from "./types.ts";

export enum VoteResult {
  Pending = 0,
  Lost = 1,
  Won = 2,
}

export class ProgressTracker {
  readonly progress = new Map<NodeId, Progress>();
  readonly voters = new Set<NodeId>();
  readonly learners = new Set<NodeId>();
  readonly votes = new Map<NodeId, boolean>();
  private scratch: number[] = [];

  constructor(readonly maxInflight: number) {}

  confState(): ConfState {
    const sort = (a: NodeId, b: NodeId) => (a < b ? -1 : a > b ? 1 : 0);
    return { voters: [...this.voters].sort(sort), learners: [...this.learners].sort(sort) };
  }

  isSingleton(): boolean {
    return this.voters.size === 1;
  }

  quorum(): number {
    return (this.voters.size >> 1) + 1;
  }

  /** The highest index replicated on a quorum of voters (0 when there are no voters). */
  committed(): number {
    const n = this.voters.size;
    if (n === 0) return 0;
    if (n === 1) {
      for (const id of this.voters) return this.progress.get(id)!.match;
    }
    const m = this.scratch;
    m.length = 0;
    for (const id of this.voters) m.push(this.progress.get(id)!.match);
    m.sort((a, b) => b - a);
    return m[this.quorum() - 1];
  }

  /** Whether a quorum of voters was heard from recently (the caller marks itself active). */
  quorumActive(): boolean {
    let active = 0;
    for (const id of this.voters) if (this.progress.get(id)!.recentActive) active++;
    return active >= this.quorum();
  }

  resetVotes(): void {
    this.votes.clear();
  }

  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  /** Outcome of the election given the votes recorded so far (only voters' votes count). */
  tallyVotes(): VoteResult {
    return this.voteResult((id) => this.votes.get(id));
  }

  /** Majority outcome over voters given each voter's answer (undefined = not yet answered). */
  voteResult(answer: (id: NodeId) => boolean | undefined): VoteResult {
    if (this.voters.size === 0) return VoteResult.Won; // an empty config wins trivially (joint-consensus convention)
    let yes = 0;
    let missing = 0;
    for (const id of this.voters) {
      const v = answer(id);
      if (v === undefined) missing++;
      else if (v) yes++;
    }
    const q = this.quorum();
    if (yes >= q) return VoteResult.Won;
    if (yes + missing >= q) return VoteResult.Pending;
    return VoteResult.Lost;
  }

  isVoter(id: NodeId): boolean {
    return this.voters.has(id);
  }
}
