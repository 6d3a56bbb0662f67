// The Raft state machine of one node: term, vote, role, log and (as leader) per-follower progress.
// Pure and deterministic: no timers, I/O or promises; input arrives through tick(), step() and
// onPersisted(), output accumulates in `msgs` and `readStates` for RaftNode to hand out in a Ready.
// Invariants: at most one vote per term; the leader counts its own log toward a quorum only up to what
// the application has persisted (onPersisted), so an entry commits only once a quorum persisted it.
import { type ResolvedConfig } from "./config.ts";
import { ProposalDroppedError, RaftInvariantError } from "./errors.ts";
import { RaftLog } from "./log.ts";
import { type Message, MessageType, newMessage, voteResponseType } from "./message.ts";
import { createRng, type Rng } from "./rand.ts";
import { ReadOnly } from "./read_only.ts";
import { bcastAppend } from "./replicate.ts";
import { releasePendingReadIndexMessages } from "./read_index.ts";
import { CAMPAIGN_TRANSFER_CONTEXT, CampaignKind, StateType, isTransferContext } from "./role.ts";
import { restoreConfState } from "./membership.ts";
import { stepCandidate } from "./step_candidate.ts";
import { stepFollower } from "./step_follower.ts";
import { stepLeader } from "./step_leader.ts";
import { ProgressTracker, VoteResult } from "./tracker.ts";
import { type Entry, EntryType, type HardState, type NodeId, NONE } from "./types.ts";

export interface ReadState {
  /** The commit index the read must wait for (apply up to it, then read). */
  index: number;
  requestCtx: Uint8Array;
}

export interface SoftState {
  lead: NodeId;
  state: StateType;
}

export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  state = StateType.StateFollower;
  readonly raftLog: RaftLog;
  readonly tracker: ProgressTracker;
  readOnly = new ReadOnly();
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  /** Target of an ongoing leadership transfer, or NONE. */
  leadTransferee: NodeId = NONE;
  /** Index of the last conf change appended by this leader; a new one waits until it is applied. */
  pendingConfIndex = 0;
  /** Read requests that arrived before this leader committed an entry in its term. */
  pendingReadIndexMessages: Message[] = [];
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  readonly electionTimeout: number;
  readonly heartbeatTimeout: number;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  readonly maxMsgSize: number;
  readonly maxCommittedSizePerReady: number;
  private readonly rng: Rng;

  constructor(cfg: ResolvedConfig) {
    this.id = cfg.id;
    this.electionTimeout = cfg.electionTick;
    this.heartbeatTimeout = cfg.heartbeatTick;
    this.checkQuorum = cfg.checkQuorum;
    this.preVote = cfg.preVote;
    this.maxMsgSize = cfg.maxSizePerMsg;
    this.maxCommittedSizePerReady = cfg.maxCommittedSizePerReady;
    this.rng = createRng(cfg.randomSeed);
    this.raftLog = new RaftLog(cfg.storage);
    this.tracker = new ProgressTracker(cfg.maxInflightMsgs);
    const { hardState, confState } = cfg.storage.initialState();
    restoreConfState(this, confState);
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) this.loadState(hardState);
    if (cfg.applied > 0) this.raftLog.appliedTo(cfg.applied);
    this.becomeFollower(this.term, NONE);
  }

  private loadState(hs: HardState): void {
    if (hs.commit < this.raftLog.committed || hs.commit > this.raftLog.lastIndex()) {
      throw new RaftInvariantError(`state.commit ${hs.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`);
    }
    this.raftLog.committed = hs.commit;
    this.term = hs.term;
    this.vote = hs.vote;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  softState(): SoftState {
    return { lead: this.lead, state: this.state };
  }

  /** Queues m for sending, stamping from and (except for votes and forwarded requests) the current term. */
  send(m: Message): void {
    m.from = this.id;
    const t = m.type;
    if (t === MessageType.MsgVote || t === MessageType.MsgVoteResp || t === MessageType.MsgPreVote || t === MessageType.MsgPreVoteResp) {
      if (m.term === 0) throw new RaftInvariantError(`term should be set when sending ${MessageType[t]}`);
    } else {
      if (m.term !== 0) throw new RaftInvariantError(`term should not be set when sending ${MessageType[t]}`);
      if (t !== MessageType.MsgProp && t !== MessageType.MsgReadIndex) m.term = this.term;
    }
    this.msgs.push(m);
  }

  // ---- roles ----

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTimeout + this.rng.int(this.electionTimeout);
    this.leadTransferee = NONE;
    this.tracker.resetVotes();
    const last = this.raftLog.lastIndex();
    for (const [id, pr] of this.tracker.progress) {
      pr.becomeProbe();
      pr.match = id === this.id ? this.raftLog.persistedIndex() : 0;
      pr.next = last + 1;
      pr.recentActive = false;
    }
    this.pendingConfIndex = 0;
    this.pendingReadIndexMessages = [];
    this.readOnly = new ReadOnly();
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.state = StateType.StateFollower;
  }

  becomePreCandidate(): void {
    if (this.state === StateType.StateLeader) throw new RaftInvariantError("invalid transition [leader -> pre-candidate]");
    // PreVote changes neither the term nor the vote.
    this.tracker.resetVotes();
    this.lead = NONE;
    this.state = StateType.StatePreCandidate;
  }

  becomeCandidate(): void {
    if (this.state === StateType.StateLeader) throw new RaftInvariantError("invalid transition [leader -> candidate]");
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = StateType.StateCandidate;
  }

  becomeLeader(): void {
    if (this.state === StateType.StateFollower) throw new RaftInvariantError("invalid transition [follower -> leader]");
    this.reset(this.term);
    this.lead = this.id;
    this.state = StateType.StateLeader;
    const self = this.tracker.progress.get(this.id);
    if (self !== undefined) {
      self.becomeReplicate();
      self.recentActive = true;
    }
    // Conservatively assume the unapplied tail may hold a conf change.
    this.pendingConfIndex = this.raftLog.lastIndex();
    // The empty entry lets this leader commit (and so learn the commit index) in its own term.
    this.appendEntries([{ term: 0, index: 0, type: EntryType.EntryNormal, data: new Uint8Array(0) }]);
  }

  /** Whether this node may campaign: it is a voter of its configuration. */
  promotable(): boolean {
    const pr = this.tracker.progress.get(this.id);
    return pr !== undefined && !pr.isLearner;
  }

  // ---- time ----

  tick(): void {
    if (this.state === StateType.StateLeader) this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(newMessage(MessageType.MsgHup, { from: this.id }));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) this.step(newMessage(MessageType.MsgCheckQuorum, { from: this.id }));
      // A transfer that did not finish within an election timeout is abandoned.
      if (this.state === StateType.StateLeader) this.leadTransferee = NONE;
    }
    if (this.state !== StateType.StateLeader) return;
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.step(newMessage(MessageType.MsgBeat, { from: this.id }));
    }
  }

  // ---- messages ----

  /** Handles one message. Throws ProposalDroppedError when a proposal cannot be taken. */
  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote) {
        const force = isTransferContext(m.context);
        const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
        // Within the lease of a live leader, vote requests are ignored (and do not bump our term).
        if (!force && inLease) return;
      }
      if (m.type === MessageType.MsgPreVote) {
        // Never change our term in response to a PreVote.
      } else if (m.type === MessageType.MsgPreVoteResp && !m.reject) {
        // A granted pre-vote carries the future term we asked for; the term moves only if we win.
      } else if (m.type === MessageType.MsgApp || m.type === MessageType.MsgHeartbeat || m.type === MessageType.MsgSnap) {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term !== 0 && m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === MessageType.MsgHeartbeat || m.type === MessageType.MsgApp)) {
        // A stale leader: tell it our term so it steps down (it may be stuck behind a partition).
        this.send(newMessage(MessageType.MsgAppResp, { to: m.from }));
      } else if (m.type === MessageType.MsgPreVote) {
        this.send(newMessage(MessageType.MsgPreVoteResp, { to: m.from, term: this.term, reject: true }));
      }
      return;
    }

    switch (m.type) {
      case MessageType.MsgHup:
        this.hup(this.preVote ? CampaignKind.PreElection : CampaignKind.Election);
        return;
      case MessageType.MsgVote:
      case MessageType.MsgPreVote:
        this.handleVoteRequest(m);
        return;
    }
    switch (this.state) {
      case StateType.StateLeader:
        stepLeader(this, m);
        return;
      case StateType.StateFollower:
        stepFollower(this, m);
        return;
      default:
        stepCandidate(this, m);
    }
  }

  private handleVoteRequest(m: Message): void {
    const canVote =
      this.vote === m.from ||
      (this.vote === NONE && this.lead === NONE) ||
      (m.type === MessageType.MsgPreVote && m.term > this.term);
    // Learners vote too: a learner may have been promoted without having applied the change yet.
    if (canVote && this.raftLog.isUpToDate(m.index, m.logTerm)) {
      // The response carries the request's term (a pre-vote's future term), so the candidate accepts it.
      this.send(newMessage(voteResponseType(m.type), { to: m.from, term: m.term }));
      if (m.type === MessageType.MsgVote) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(newMessage(voteResponseType(m.type), { to: m.from, term: this.term, reject: true }));
    }
  }

  /** Starts an election unless leader, not a voter, or a committed conf change is still unapplied. */
  hup(kind: CampaignKind): void {
    if (this.state === StateType.StateLeader || !this.promotable()) return;
    if (this.raftLog.committed > this.raftLog.applied) {
      const ents = this.raftLog.slice(Math.max(this.raftLog.applied + 1, this.raftLog.firstIndex()), this.raftLog.committed + 1, Infinity);
      for (const e of ents) if (e.type === EntryType.EntryConfChange) return;
    }
    this.campaign(kind);
  }

  campaign(kind: CampaignKind): void {
    let term: number;
    let voteType: MessageType;
    if (kind === CampaignKind.PreElection) {
      this.becomePreCandidate();
      voteType = MessageType.MsgPreVote;
      term = this.term + 1; // pre-votes are asked for the term we would campaign in
    } else {
      this.becomeCandidate();
      voteType = MessageType.MsgVote;
      term = this.term;
    }
    if (this.poll(this.id, true) === VoteResult.Won) {
      // Only possible with a single voter.
      if (kind === CampaignKind.PreElection) this.campaign(CampaignKind.Election);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.raftLog.lastIndex();
    const lastTerm = this.raftLog.lastTerm();
    const ids = [...this.tracker.voters].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const id of ids) {
      if (id === this.id) continue;
      const context = kind === CampaignKind.Transfer ? CAMPAIGN_TRANSFER_CONTEXT : null;
      this.send(newMessage(voteType, { to: id, term, index: lastIndex, logTerm: lastTerm, context }));
    }
  }

  poll(id: NodeId, granted: boolean): VoteResult {
    this.tracker.recordVote(id, granted);
    return this.tracker.tallyVotes();
  }

  // ---- leader log ----

  /** Leader: stamps ents with the current term and the next indexes and appends them. */
  appendEntries(ents: Entry[]): void {
    let index = this.raftLog.lastIndex();
    const term = this.term;
    for (let i = 0; i < ents.length; i++) {
      const e = ents[i];
      e.term = term;
      e.index = ++index;
    }
    this.raftLog.append(ents);
  }

  /** Leader: advances commit to the quorum's match index if that entry is of this term. */
  maybeCommit(): boolean {
    return this.raftLog.maybeCommit(this.tracker.committed(), this.term);
  }

  committedEntryInCurrentTerm(): boolean {
    return this.raftLog.term(this.raftLog.committed) === this.term;
  }

  /**
   * The application persisted the log up to raftLog.persistedIndex(). A leader now counts its own copy:
   * with a single voter this is what commits a proposal (no message round-trip, no tick).
   */
  onPersisted(): void {
    if (this.state !== StateType.StateLeader) return;
    const self = this.tracker.progress.get(this.id);
    if (self === undefined || !self.maybeUpdate(this.raftLog.persistedIndex())) return;
    if (this.maybeCommit()) {
      releasePendingReadIndexMessages(this);
      bcastAppend(this);
    }
  }

  /** Drops a proposal with a reason; kept in one place so callers see a consistent error. */
  dropProposal(reason: string): never {
    throw new ProposalDroppedError(reason);
  }
}
