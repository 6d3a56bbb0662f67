// Membership: applying one ConfChange at a time (add voter, remove voter, add learner, promote learner)
// and restoring a configuration from a snapshot. A change takes effect when the application applies
// its entry and calls applyConfChange. Invariants: voters and learners are disjoint; the last voter is
// never removed; a voter is never demoted to learner; a leader that is no longer a voter steps down.
import { Progress } from "./progress.ts";
import type { Raft } from "./raft.ts";
import { bcastAppend, maybeSendAppend } from "./replicate.ts";
import { StateType } from "./role.ts";
import { type ConfChange, ConfChangeType, type ConfState, type NodeId, NONE } from "./types.ts";

function addProgress(r: Raft, id: NodeId, isLearner: boolean): void {
  const pr = new Progress(0, r.raftLog.lastIndex() + 1, r.tracker.maxInflight, isLearner);
  // A new member counts as active so CheckQuorum and snapshot sending treat it as reachable at first.
  pr.recentActive = true;
  r.tracker.progress.set(id, pr);
}

/** Replaces the configuration wholesale (start-up, or a snapshot from the leader). */
export function restoreConfState(r: Raft, cs: ConfState): void {
  const t = r.tracker;
  t.progress.clear();
  t.voters.clear();
  t.learners.clear();
  for (const id of cs.voters) {
    t.voters.add(id);
    addProgress(r, id, false);
  }
  for (const id of cs.learners) {
    if (t.voters.has(id)) continue;
    t.learners.add(id);
    addProgress(r, id, true);
  }
}

/** Applies one committed membership change and returns the resulting configuration. */
export function applyConfChange(r: Raft, cc: ConfChange): ConfState {
  const t = r.tracker;
  const id = cc.nodeId;
  if (id !== NONE) {
    switch (cc.type) {
      case ConfChangeType.ConfChangeAddNode:
        if (t.learners.has(id)) {
          t.learners.delete(id);
          t.voters.add(id);
          t.progress.get(id)!.isLearner = false;
        } else if (!t.voters.has(id)) {
          t.voters.add(id);
          addProgress(r, id, false);
        }
        break;
      case ConfChangeType.ConfChangeAddLearnerNode:
        if (!t.voters.has(id) && !t.learners.has(id)) {
          t.learners.add(id);
          addProgress(r, id, true);
        }
        break;
      case ConfChangeType.ConfChangeRemoveNode:
        if (t.voters.has(id) && t.voters.size === 1) break;
        t.voters.delete(id);
        t.learners.delete(id);
        t.progress.delete(id);
        break;
      case ConfChangeType.ConfChangeUpdateNode:
        break;
    }
  }
  onConfigChanged(r);
  return t.confState();
}

function onConfigChanged(r: Raft): void {
  if (r.state !== StateType.StateLeader) return;
  if (!r.promotable()) {
    r.becomeFollower(r.term, NONE);
    return;
  }
  // The quorum may have shrunk (commit moves) or a member was added (start replicating to it).
  if (r.maybeCommit()) bcastAppend(r);
  else for (const id of r.tracker.progress.keys()) if (id !== r.id) maybeSendAppend(r, id, false);
  if (r.leadTransferee !== NONE && !r.tracker.voters.has(r.leadTransferee)) r.leadTransferee = NONE;
}
