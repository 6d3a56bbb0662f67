// The apply side of membership changes, as etcd 3.4's applyConfChange (etcdserver/server.go): a committed
// ConfChange entry is validated against the members (member_checks.ts), then goes into Raft's configuration
// (as a no-op when invalid) and the member buckets (membership.ts). Entries a restart replays go into Raft
// only; configAfterLog says at start-up, before that replay, who the members will be.
import { rpcError } from "../../rpc/errors.ts";
import {
  type ConfChange, ConfChangeType, type ConfState, type Entry, EntryType, NONE, type RaftNode, decodeConfChange,
} from "../raft/index.ts";
import type { ApplyResult } from "./apply.ts";
import { clusterView, validateConfChange } from "./member_checks.ts";
import { type ConfChangeContext, type Membership, parseConfChangeContext } from "./membership.ts";

const dec = new TextDecoder();

/** A conf change's context: the member JSON, or etcd's promotion context; null when it has none. */
export function contextOf(cc: ConfChange): ConfChangeContext | null {
  return cc.context?.length ? parseConfChangeContext(dec.decode(cc.context)) : null;
}

/**
 * Applies a committed ConfChange entry (etcd's applyConfChange): validated against the membership, then into
 * Raft (as a no-op when invalid) and the membership buckets. The result is the sorted member list, or the error.
 */
export function applyConfChangeEntry(membership: Membership, node: RaftNode, self: bigint, cc: ConfChange): ApplyResult {
  const ctx = contextOf(cc);
  const invalid = validateConfChange(clusterView(self, membership), cc.type, cc.nodeId, ctx);
  if (invalid && alreadyInMembership(membership, cc, ctx)) {
    node.applyConfChange(cc);
    return { ok: membership.list() };
  }
  if (invalid) {
    node.applyConfChange({ ...cc, nodeId: NONE });
    return { err: rpcError(invalid) };
  }
  node.applyConfChange(cc);
  const id = cc.nodeId;
  const old = membership.members.get(id);
  switch (cc.type) {
    case ConfChangeType.ConfChangeAddNode:
    case ConfChangeType.ConfChangeAddLearnerNode:
      if (ctx?.isPromote && old) membership.save({ ...old, isLearner: false });
      else if (ctx) membership.save({ ...ctx.member, id });
      break;
    case ConfChangeType.ConfChangeRemoveNode:
      membership.remove(id);
      break;
    case ConfChangeType.ConfChangeUpdateNode:
      // etcd replaces the raft attributes whole: the peer URLs, and isLearner from the request (false).
      if (old && ctx) membership.save({ ...old, peerURLs: ctx.member.peerURLs, isLearner: false });
      break;
  }
  return { ok: membership.list() };
}

/**
 * Whether the members already show this change: etcd 3.4 writes its member buckets outside the transaction
 * that records the consistent index, so a directory etcd wrote can replay a change its buckets already hold
 * (and this server lists its own member before its first entry is applied). Such an entry still goes into
 * Raft. Changes this server proposes never get here: they were validated against the same members.
 */
function alreadyInMembership(membership: Membership, cc: ConfChange, ctx: ConfChangeContext | null): boolean {
  const m = membership.members.get(cc.nodeId);
  switch (cc.type) {
    case ConfChangeType.ConfChangeAddNode:
    case ConfChangeType.ConfChangeAddLearnerNode:
      return ctx?.isPromote ? m !== undefined && !m.isLearner : m !== undefined;
    case ConfChangeType.ConfChangeRemoveNode:
      return m === undefined && membership.removed.has(cc.nodeId);
    default:
      return false;
  }
}

/**
 * Re-applies an entry already in the backend into Raft only (a restart rebuilds Raft's configuration from
 * the log). A promotion of a member Raft does not hold as a learner was refused when first applied (an etcd
 * log can hold one): it stays a no-op instead of adding a voter.
 */
export function replayConfChangeEntry(node: RaftNode, cc: ConfChange): void {
  const promote = cc.type === ConfChangeType.ConfChangeAddNode && contextOf(cc)?.isPromote;
  const refused = promote && !node.raft.tracker.learners.has(cc.nodeId);
  node.applyConfChange(refused ? { ...cc, nodeId: NONE } : cc);
}

/**
 * The ids in Raft's configuration once the conf changes among `entries` are applied on top of `cs` (the
 * snapshot's): at start-up, before the log is replayed, this is who the members will be.
 */
export function configAfterLog(cs: ConfState, entries: Entry[]): bigint[] {
  const ids = new Set([...cs.voters, ...cs.learners]);
  for (const e of entries) {
    if (e.type !== EntryType.EntryConfChange) continue;
    const cc = decodeConfChange(e.data);
    if (cc.type === ConfChangeType.ConfChangeRemoveNode) ids.delete(cc.nodeId);
    else if (cc.type !== ConfChangeType.ConfChangeUpdateNode && !contextOf(cc)?.isPromote) ids.add(cc.nodeId);
  }
  return [...ids];
}
