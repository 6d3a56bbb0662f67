// etcd 3.4's reconfiguration checks (server.go may*/isLearnerReady, cluster.go IsReadyTo*/
// ValidateConfigurationChange) on member lists: which error each change meets, with its gRPC code.
import { expect, test } from "bun:test";
import { Code } from "@connectrpc/connect";
import { rpctypes } from "../../../rpc/errors.ts";
import { ConfChangeType } from "../../../engine/raft/index.ts";
import {
  type ClusterView, NOT_ENOUGH_STARTED, mayAddMember, mayPromoteMember, mayRemoveMember, validateConfChange,
} from "../../../engine/server/member_checks.ts";
import type { Member } from "../../../engine/server/membership.ts";

const SELF = 0xaan;
const self: Member = { id: SELF, name: "default", peerURLs: ["http://a:2380"], clientURLs: ["http://a:2379"], isLearner: false };
const learner: Member = { id: 0xbbn, name: "", peerURLs: ["http://b:2380"], clientURLs: [], isLearner: true };
/** A learner whose `member update` cleared its flag (etcd's UpdateRaftAttributes): an unstarted voter. */
const unstartedVoter: Member = { ...learner, isLearner: false };
const view = (...members: Member[]): ClusterView => ({ self: SELF, members, removed: new Set([0xddn]) });
const add = (id: bigint, urls: string[], isLearner: boolean) => ({ member: { id, name: "", peerURLs: urls, clientURLs: [], isLearner }, isPromote: false });
const promote = (id: bigint) => ({ member: { id, name: "", peerURLs: [], clientURLs: [], isLearner: false }, isPromote: true });

test("not enough started members is answered with code Unknown, as etcd 3.4 does", () => {
  expect(NOT_ENOUGH_STARTED).toEqual({ code: Code.Unknown, message: "etcdserver: re-configuration failed due to not enough started members" });
});

test("add: learners pass, voters are refused; an unconnected voter makes the cluster unhealthy", () => {
  expect(mayAddMember(view(self), learner)).toBeNull();
  expect(mayAddMember(view(self), { ...learner, isLearner: false })).toBe(NOT_ENOUGH_STARTED);
  expect(mayAddMember(view(self, unstartedVoter), { ...learner, id: 0xccn })).toBe(rpctypes.Unhealthy);
});

test("remove: learners always; the only voter never; unknown ids only while quorum holds without them", () => {
  expect(mayRemoveMember(view(self, learner), learner.id)).toBeNull();
  expect(mayRemoveMember(view(self), SELF)).toBe(NOT_ENOUGH_STARTED);
  expect(mayRemoveMember(view(self), 0x1234n)).toBeNull();
  expect(mayRemoveMember(view(self, unstartedVoter), 0x1234n)).toBe(NOT_ENOUGH_STARTED);
  expect(mayRemoveMember(view(self, unstartedVoter), unstartedVoter.id)).toBeNull();
  expect(mayRemoveMember(view(self, unstartedVoter), SELF)).toBe(NOT_ENOUGH_STARTED);
});

test("promote: only on the leader, only a learner within 90% of the leader's match index", () => {
  const progress = (learnerMatch: number) => new Map([[SELF, 100], [learner.id, learnerMatch]]);
  expect(mayPromoteMember(view(self, learner), learner.id, null)).toBe(rpctypes.NotLeader);
  expect(mayPromoteMember(view(self, learner), learner.id, progress(0))).toBe(rpctypes.LearnerNotReady);
  expect(mayPromoteMember(view(self, learner), learner.id, progress(89))).toBe(rpctypes.LearnerNotReady);
  expect(mayPromoteMember(view(self, learner), learner.id, progress(90))).toBeNull();
  // Ids without progress (not members) pass here and fail validation when applied.
  expect(mayPromoteMember(view(self), 0x1234n, progress(0))).toBeNull();
  // A listed learner Raft does not hold is never promoted (it would become a voter Raft never replicated to).
  expect(mayPromoteMember(view(self, learner), learner.id, new Map([[SELF, 100]]))).toBe(rpctypes.LearnerNotReady);
});

test("validation when applied: etcd's membership errors, in etcd's order", () => {
  const v = view(self, learner);
  const { ConfChangeAddNode: AddNode, ConfChangeAddLearnerNode: AddLearner, ConfChangeRemoveNode: Remove, ConfChangeUpdateNode: Update } = ConfChangeType;
  expect(validateConfChange(v, AddLearner, 0xddn, add(0xddn, ["http://new:1"], true))).toBe(rpctypes.MemberNotFound); // removed id
  expect(validateConfChange(v, AddLearner, learner.id, add(learner.id, ["http://new:1"], true))).toBe(rpctypes.MemberExist);
  expect(validateConfChange(v, AddLearner, 0xccn, add(0xccn, ["http://a:2380"], true))).toBe(rpctypes.PeerURLExist);
  expect(validateConfChange(v, AddLearner, 0xccn, add(0xccn, ["http://new:1"], true))).toBe(rpctypes.TooManyLearners);
  expect(validateConfChange(view(self), AddLearner, 0xccn, add(0xccn, ["http://new:1"], true))).toBeNull();
  expect(validateConfChange(v, AddNode, 0xccn, add(0xccn, ["http://new:1"], false))).toBeNull();
  expect(validateConfChange(v, AddNode, 0x1234n, promote(0x1234n))).toBe(rpctypes.MemberNotFound);
  expect(validateConfChange(v, AddNode, SELF, promote(SELF))).toBe(rpctypes.MemberNotLearner);
  expect(validateConfChange(v, AddNode, learner.id, promote(learner.id))).toBeNull();
  expect(validateConfChange(v, Remove, 0x1234n, null)).toBe(rpctypes.MemberNotFound);
  expect(validateConfChange(v, Remove, learner.id, null)).toBeNull();
  expect(validateConfChange(v, Update, 0x1234n, add(0x1234n, ["http://new:1"], false))).toBe(rpctypes.MemberNotFound);
  expect(validateConfChange(v, Update, learner.id, add(learner.id, ["http://a:2380"], false))).toBe(rpctypes.PeerURLExist);
  // A member may keep its own URLs.
  expect(validateConfChange(v, Update, SELF, add(SELF, ["http://a:2380", "http://a:2381"], false))).toBeNull();
});
