// RaftNode: the API the server drives. Inputs: tick(), step(m) from peers, propose(), proposeConfChange(),
// readIndex(), transferLeader(), campaign(). Output: ready(), which the caller processes (see ready.ts)
// and acknowledges with advance(). Everything is synchronous; proposals may be called any number of times
// between two ready() calls and all land in the next Ready. Invariant: at most one Ready is outstanding.
import { type Config, resolveConfig } from "./config.ts";
import { encodeConfChange } from "./conf_change_codec.ts";
import { ProposalDroppedError, RaftError, RaftInvariantError, StepLocalMessageError } from "./errors.ts";
import { applyConfChange } from "./membership.ts";
import { type Message, MessageType, isLocalMessage, isResponseMessage, newMessage } from "./message.ts";
import type { ProgressState } from "./progress.ts";
import { Raft, type SoftState } from "./raft.ts";
import type { Ready } from "./ready.ts";
import { StateType } from "./role.ts";
import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  type NodeId,
  NONE,
} from "./types.ts";

export interface Peer {
  id: NodeId;
  context?: Uint8Array;
}

export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  isLearner: boolean;
  recentActive: boolean;
}

export interface Status {
  id: NodeId;
  hardState: HardState;
  softState: SoftState;
  applied: number;
  leadTransferee: NodeId;
  /** Per-member replication progress; only on the leader. */
  progress: Map<NodeId, ProgressStatus> | null;
}

export class RaftNode {
  /** The state machine itself; exposed read-only for status and tests. */
  readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private outstanding: Ready | null = null;

  constructor(config: Config) {
    this.raft = new Raft(resolveConfig(config));
    this.prevSoft = this.raft.softState();
    this.prevHard = this.raft.hardState();
  }

  /**
   * First start of a new cluster on empty storage: appends one committed ConfChangeAddNode entry per peer
   * (term 1), as etcd 3.4 does. The application applies them from the first Ready like any conf change.
   */
  bootstrap(peers: Peer[]): void {
    const r = this.raft;
    if (peers.length === 0) throw new RaftError("must provide at least one peer to bootstrap");
    if (r.raftLog.lastIndex() !== 0) throw new RaftError("can't bootstrap a nonempty Storage");
    this.prevHard = { term: 0, vote: NONE, commit: 0 };
    r.becomeFollower(1, NONE);
    const ents: Entry[] = peers.map((p, i) => ({
      term: 1,
      index: i + 1,
      type: EntryType.EntryConfChange,
      data: encodeConfChange({ type: ConfChangeType.ConfChangeAddNode, nodeId: p.id, context: p.context }),
    }));
    r.raftLog.append(ents);
    r.raftLog.committed = ents.length;
    for (const p of peers) applyConfChange(r, { type: ConfChangeType.ConfChangeAddNode, nodeId: p.id });
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (PreVote first when enabled) instead of waiting for the election timeout. */
  campaign(): void {
    this.raft.step(newMessage(MessageType.MsgHup, { from: this.raft.id }));
  }

  /** Proposes data for the log. Throws ProposalDroppedError when there is no leader to take it. */
  propose(data: Uint8Array): void {
    const e: Entry = { term: 0, index: 0, type: EntryType.EntryNormal, data };
    this.raft.step(newMessage(MessageType.MsgProp, { from: this.raft.id, entries: [e] }));
  }

  /** Proposes a membership change; only one may be pending (proposed and not yet applied) at a time. */
  proposeConfChange(cc: ConfChange): void {
    const r = this.raft;
    if (r.state === StateType.StateLeader && r.pendingConfIndex > r.raftLog.applied) {
      throw new ProposalDroppedError(`raft conf change dropped: change at index ${r.pendingConfIndex} not yet applied`);
    }
    const e: Entry = { term: 0, index: 0, type: EntryType.EntryConfChange, data: encodeConfChange(cc) };
    r.step(newMessage(MessageType.MsgProp, { from: r.id, entries: [e] }));
  }

  /**
   * Steps a message received from a peer. Responses from non-members are ignored, and so are forwarded
   * requests this node cannot take (the sender times out, as in etcd). Local message types are refused.
   */
  step(m: Message): void {
    if (isLocalMessage(m.type)) throw new StepLocalMessageError();
    if (isResponseMessage(m.type) && !this.raft.tracker.progress.has(m.from)) return;
    try {
      this.raft.step(m);
    } catch (e) {
      if (!(e instanceof ProposalDroppedError)) throw e;
    }
  }

  /** Requests a linearizable read point; the answer arrives as a ReadState carrying ctx (make ctx unique). */
  readIndex(ctx: Uint8Array): void {
    const e: Entry = { term: 0, index: 0, type: EntryType.EntryNormal, data: ctx };
    this.raft.step(newMessage(MessageType.MsgReadIndex, { from: this.raft.id, entries: [e] }));
  }

  /** Asks the leader to hand leadership to `transferee` once it has caught up. */
  transferLeader(transferee: NodeId): void {
    this.raft.step(newMessage(MessageType.MsgTransferLeader, { from: transferee }));
  }

  /** Applies a committed conf change (call it when applying its entry) and returns the new configuration. */
  applyConfChange(cc: ConfChange): ConfState {
    return applyConfChange(this.raft, cc);
  }

  /** The transport failed to deliver to `id`. */
  reportUnreachable(id: NodeId): void {
    this.raft.step(newMessage(MessageType.MsgUnreachable, { from: id }));
  }

  /** The transport finished (or failed) sending a snapshot to `id`. */
  reportSnapshot(id: NodeId, failed: boolean): void {
    this.raft.step(newMessage(MessageType.MsgSnapStatus, { from: id, reject: failed }));
  }

  hasReady(): boolean {
    const r = this.raft;
    const log = r.raftLog;
    if (r.msgs.length !== 0 || log.unstable.entries.length !== 0 || log.unstable.snapshot !== null) return true;
    if (r.readStates.length !== 0 || log.hasNextEntries()) return true;
    if (r.lead !== this.prevSoft.lead || r.state !== this.prevSoft.state) return true;
    const h = this.prevHard;
    return r.term !== h.term || r.vote !== h.vote || log.committed !== h.commit;
  }

  /** The next batch of work. Call advance() after processing it, before calling ready() again. */
  ready(): Ready {
    if (this.outstanding !== null) throw new RaftInvariantError("ready() called again before advance()");
    const r = this.raft;
    const log = r.raftLog;
    const h = this.prevHard;
    const hardChanged = r.term !== h.term || r.vote !== h.vote || log.committed !== h.commit;
    const entries = log.unstable.entries.length === 0 ? [] : log.unstable.entries.slice();
    const rd: Ready = {
      softState: null,
      hardState: hardChanged ? r.hardState() : null,
      readStates: r.readStates,
      entries,
      snapshot: log.unstable.snapshot,
      committedEntries: log.hasNextEntries() ? log.nextEntries(r.maxCommittedSizePerReady) : [],
      messages: r.msgs,
      mustSync: entries.length !== 0 || r.term !== h.term || r.vote !== h.vote,
    };
    if (r.lead !== this.prevSoft.lead || r.state !== this.prevSoft.state) {
      rd.softState = r.softState();
      this.prevSoft = rd.softState;
    }
    if (r.readStates.length !== 0) r.readStates = [];
    if (r.msgs.length !== 0) r.msgs = [];
    this.outstanding = rd;
    return rd;
  }

  /** The last Ready was processed: marks its entries persisted and its committed entries applied. */
  advance(): void {
    const rd = this.outstanding;
    if (rd === null) throw new RaftInvariantError("advance() called without a ready()");
    this.outstanding = null;
    const log = this.raft.raftLog;
    if (rd.hardState !== null) this.prevHard = rd.hardState;
    const n = rd.committedEntries.length;
    if (n !== 0) log.appliedTo(rd.committedEntries[n - 1].index);
    else if (rd.snapshot !== null) log.appliedTo(rd.snapshot.metadata.index);
    if (rd.entries.length !== 0) {
      const last = rd.entries[rd.entries.length - 1];
      log.unstable.stableTo(last.index, last.term);
    }
    if (rd.snapshot !== null) log.unstable.stableSnapTo(rd.snapshot.metadata.index);
    this.raft.onPersisted();
  }

  status(): Status {
    const r = this.raft;
    let progress: Map<NodeId, ProgressStatus> | null = null;
    if (r.state === StateType.StateLeader) {
      progress = new Map();
      for (const [id, pr] of r.tracker.progress) {
        progress.set(id, { match: pr.match, next: pr.next, state: pr.state, isLearner: pr.isLearner, recentActive: pr.recentActive });
      }
    }
    return { id: r.id, hardState: r.hardState(), softState: r.softState(), applied: r.raftLog.applied, leadTransferee: r.leadTransferee, progress };
  }
}
