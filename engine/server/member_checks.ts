// etcd 3.4's membership-change checks, as pure functions of the member list (etcdserver/server.go and
// etcdserver/api/membership/cluster.go), each answering the error etcd answers or null:
//   - the strict reconfiguration checks (--strict-reconfig-check, on by default) made before proposing:
//     mayAddMember, mayRemoveMember, mayPromoteMember with isLearnerReady;
//   - ValidateConfigurationChange, made when the change is applied.
// This member has no peer transport, so no other member is ever "connected": etcd's isConnectedSince is false
// for every peer. One deliberate difference: etcd lets a voting member join a one-member cluster (and then
// loses its quorum until the new member starts); bunetcd cannot start it, so it refuses with etcd's
// not-enough-started-members error instead of making the cluster unavailable for good. And a listed learner
// that Raft does not replicate to is never "in sync" (etcd would promote it to a voter Raft never heard from).
import { Code } from "@connectrpc/connect";
import { type EtcdRpcError, rpctypes } from "../../rpc/errors.ts";
import { ConfChangeType } from "../raft/index.ts";
import { type ConfChangeContext, type Member, type Membership, isStarted } from "./membership.ts";

/** etcd's ErrNotEnoughStartedMembers has no gRPC mapping in 3.4: clients see it with code Unknown. */
export const NOT_ENOUGH_STARTED: EtcdRpcError = Object.freeze({ code: Code.Unknown, message: rpctypes.MemberNotEnoughStarted.message });
/** etcd's ErrTimeoutLeaderTransfer, also without a gRPC mapping (code Unknown). */
export const TIMEOUT_LEADER_TRANSFER: EtcdRpcError = Object.freeze({ code: Code.Unknown, message: "etcdserver: request timed out, leader transfer took too long" });

/** etcd's maxLearners. */
const MAX_LEARNERS = 1;
/** etcd's readyPercent: a learner may be promoted once its match index reaches 90% of the leader's. */
const READY_PERCENT = 0.9;

export interface ClusterView {
  self: bigint;
  members: Member[];
  removed: ReadonlySet<bigint>;
}

/** The members as the checks see them. */
export function clusterView(self: bigint, membership: Membership): ClusterView {
  return { self, members: membership.list(), removed: membership.removed };
}

const voting = (v: ClusterView) => v.members.filter((m) => !m.isLearner);
const find = (v: ClusterView, id: bigint) => v.members.find((m) => m.id === id);
/** etcd's numConnectedSince without a transport: only this member counts. */
const connected = (v: ClusterView, ms: Member[]) => ms.filter((m) => m.id === v.self).length;

function quorumStarted(nmembers: number, nstarted: number): boolean {
  return nstarted >= Math.floor(nmembers / 2) + 1;
}

export function mayAddMember(v: ClusterView, m: Member): EtcdRpcError | null {
  // etcd's IsReadyToAddVotingMember allows 1 started member of 2; see the header for why this refuses.
  if (!m.isLearner) return NOT_ENOUGH_STARTED;
  const voters = voting(v);
  if (connected(v, voters) !== voters.length) return rpctypes.Unhealthy;
  return null;
}

export function mayRemoveMember(v: ClusterView, id: bigint): EtcdRpcError | null {
  if (find(v, id)?.isLearner) return null;
  const others = voting(v).filter((m) => m.id !== id);
  if (!quorumStarted(others.length, others.filter(isStarted).length)) return NOT_ENOUGH_STARTED;
  // A member that was never connected is not part of the active quorum: safe to remove.
  if (id !== v.self) return null;
  const voters = voting(v);
  const active = connected(v, voters);
  if (active - 1 < 1 + Math.floor((voters.length - 1) / 2)) return rpctypes.Unhealthy;
  return null;
}

/**
 * isLearnerReady then IsReadyToPromoteMember. `progress` is the leader's replication progress (match index
 * by member id), or null when this member is not the leader.
 */
export function mayPromoteMember(v: ClusterView, id: bigint, progress: Map<bigint, number> | null): EtcdRpcError | null {
  if (progress === null) return rpctypes.NotLeader;
  const learnerMatch = progress.get(id);
  if (learnerMatch !== undefined && learnerMatch < (progress.get(v.self) ?? 0) * READY_PERCENT) return rpctypes.LearnerNotReady;
  // A learner Raft does not replicate to (its add was never applied to Raft) is not in sync either; etcd
  // would let it through and add a voter Raft never heard from.
  if (learnerMatch === undefined && find(v, id)?.isLearner) return rpctypes.LearnerNotReady;
  const voters = voting(v);
  // The learner to promote counts as a started member of the future quorum.
  if (!quorumStarted(voters.length + 1, voters.filter(isStarted).length + 1)) return NOT_ENOUGH_STARTED;
  return null;
}

/** etcd's ValidateConfigurationChange, with the client-facing error of each membership error. */
export function validateConfChange(v: ClusterView, type: ConfChangeType, id: bigint, ctx: ConfChangeContext | null): EtcdRpcError | null {
  if (v.removed.has(id)) return rpctypes.MemberNotFound;
  const existing = find(v, id);
  const urlsOf = (ms: Member[]) => new Set(ms.flatMap((m) => m.peerURLs));
  switch (type) {
    case ConfChangeType.ConfChangeAddNode:
    case ConfChangeType.ConfChangeAddLearnerNode: {
      if (ctx?.isPromote) {
        if (!existing) return rpctypes.MemberNotFound;
        return existing.isLearner ? null : rpctypes.MemberNotLearner;
      }
      if (existing) return rpctypes.MemberExist;
      const used = urlsOf(v.members);
      if (ctx?.member.peerURLs.some((u) => used.has(u))) return rpctypes.PeerURLExist;
      if (ctx?.member.isLearner && v.members.filter((m) => m.isLearner).length + 1 > MAX_LEARNERS) return rpctypes.TooManyLearners;
      return null;
    }
    case ConfChangeType.ConfChangeRemoveNode:
      return existing ? null : rpctypes.MemberNotFound;
    case ConfChangeType.ConfChangeUpdateNode: {
      if (!existing) return rpctypes.MemberNotFound;
      const used = urlsOf(v.members.filter((m) => m.id !== id));
      return ctx?.member.peerURLs.some((u) => used.has(u)) ? rpctypes.PeerURLExist : null;
    }
  }
  return null;
}
