// Membership changes through Raft, as etcd 3.4's AddMember/RemoveMember/UpdateMember/PromoteMember
// (etcdserver/server.go): the strict reconfiguration checks (member_checks.ts), then one ConfChange entry
// (etcd's encoding: the member JSON, or the promotion context, as its context; the request id as its ID)
// proposed through Raft, and the answer once the apply loop has applied it (member_apply.ts): the member list
// after the change. Invariants: changes run one at a time, each checked against the membership it will be
// applied to, so a change that reaches the log validates when applied; only learner additions, learner
// removals and peer-URL updates pass the checks on a one-member cluster, so Raft never gets a second voter
// that cannot answer.
import { create } from "@bufbuild/protobuf";
import {
  type MemberAddResponse, MemberAddResponseSchema, type MemberPromoteResponse, MemberPromoteResponseSchema,
  type MemberRemoveResponse, MemberRemoveResponseSchema, MemberSchema, type MemberUpdateResponse, MemberUpdateResponseSchema,
  type Member as WireMember, type ResponseHeader,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type EtcdRpcError, rpcError, rpctypes } from "../../rpc/errors.ts";
import { type ConfChange, ConfChangeType, ProposalDroppedError, type RaftNode } from "../raft/index.ts";
import type { ApplyResult } from "./apply.ts";
import { idString, memberId } from "./ids.ts";
import type { Logger } from "./log.ts";
import { contextOf } from "./member_apply.ts";
import { type ClusterView, clusterView, mayAddMember, mayPromoteMember, mayRemoveMember, validateConfChange } from "./member_checks.ts";
import { type Member, type Membership, memberJson, promoteContextJson } from "./membership.ts";
import type { WaitRegistry } from "./wait.ts";

const enc = new TextEncoder();

export interface MemberChangeDeps {
  self: bigint;
  clusterId: bigint;
  membership: Membership;
  node: RaftNode;
  wait: WaitRegistry;
  log: Logger;
  nextRequestId(): bigint;
  /** Runs a Raft cycle (the proposal goes out, gets committed and applied). */
  kick(): void;
  stopped(): boolean;
  /** The Cluster service's header (cluster id, member id, raft term; no revision). */
  header(): ResponseHeader;
}

export function membersToWire(ms: Member[]): WireMember[] {
  return ms.map((m) => create(MemberSchema, { ID: m.id, name: m.name, peerURLs: m.peerURLs, clientURLs: m.clientURLs, isLearner: m.isLearner }));
}

export class MemberChanges {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: MemberChangeDeps) {}

  /** MemberAdd; `peerURLs` are already validated and sorted (etcd's types.NewURLs). */
  async add(peerURLs: string[], isLearner: boolean, nowMs = Date.now()): Promise<MemberAddResponse> {
    // etcd's NewMember: sha1 of the sorted peer URLs, the (empty) cluster name and the Unix time in seconds.
    const m: Member = { id: memberId(peerURLs, String(Math.floor(nowMs / 1000))), name: "", peerURLs, clientURLs: [], isLearner };
    const type = isLearner ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode;
    const members = await this.change(() => mayAddMember(this.view(), m), { type, nodeId: m.id, context: enc.encode(memberJson(m)) });
    this.d.log.info("etcdserver/membership", `added member ${idString(m.id)} [${peerURLs.join(" ")}] to cluster ${idString(this.d.clusterId)}`);
    const member = create(MemberSchema, { ID: m.id, peerURLs, isLearner });
    return create(MemberAddResponseSchema, { header: this.d.header(), member, members: membersToWire(members) });
  }

  async remove(id: bigint): Promise<MemberRemoveResponse> {
    const members = await this.change(() => mayRemoveMember(this.view(), id), { type: ConfChangeType.ConfChangeRemoveNode, nodeId: id });
    this.d.log.info("etcdserver/membership", `removed member ${idString(id)} from cluster ${idString(this.d.clusterId)}`);
    return create(MemberRemoveResponseSchema, { header: this.d.header(), members: membersToWire(members) });
  }

  async update(id: bigint, peerURLs: string[]): Promise<MemberUpdateResponse> {
    const context = enc.encode(memberJson({ id, name: "", peerURLs, clientURLs: [], isLearner: false }));
    const members = await this.change(() => null, { type: ConfChangeType.ConfChangeUpdateNode, nodeId: id, context });
    this.d.log.notice("etcdserver/membership", `updated member ${idString(id)} [${peerURLs.join(" ")}] in cluster ${idString(this.d.clusterId)}`);
    return create(MemberUpdateResponseSchema, { header: this.d.header(), members: membersToWire(members) });
  }

  async promote(id: bigint): Promise<MemberPromoteResponse> {
    const check = () => {
      const err = mayPromoteMember(this.view(), id, this.leaderProgress());
      // etcd forwards a promotion to the leader and gives up after its request timeout; a lone member
      // without a leader has nobody to forward to.
      return err === rpctypes.NotLeader ? rpctypes.Timeout : err;
    };
    const context = enc.encode(promoteContextJson(id));
    const members = await this.change(check, { type: ConfChangeType.ConfChangeAddNode, nodeId: id, context });
    this.d.log.notice("etcdserver/membership", `promote member ${idString(id)} in cluster ${idString(this.d.clusterId)}`);
    return create(MemberPromoteResponseSchema, { header: this.d.header(), members: membersToWire(members) });
  }

  private view(): ClusterView {
    return clusterView(this.d.self, this.d.membership);
  }

  /** The leader's replication progress (match index by member), or null when this member does not lead. */
  private leaderProgress(): Map<bigint, number> | null {
    const progress = this.d.node.status().progress;
    return progress && new Map([...progress].map(([id, p]) => [id, p.match]));
  }

  /** Runs one change at a time: the strict check, the validation it will meet when applied, then Raft. */
  private change(check: () => EtcdRpcError | null, cc: ConfChange): Promise<Member[]> {
    const run = async () => {
      if (this.d.stopped()) throw rpcError(rpctypes.Stopped);
      const refused = check() ?? validateConfChange(this.view(), cc.type, cc.nodeId, contextOf(cc));
      if (refused) throw rpcError(refused);
      return this.configure(cc);
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** etcd's configure: propose the ConfChange under a fresh request id and wait for its apply. */
  private async configure(cc: ConfChange): Promise<Member[]> {
    const { node, wait } = this.d;
    // The previous change is applied by now, but Raft counts it applied only when its Ready cycle ends.
    for (let i = 0; node.raft.pendingConfIndex > node.raft.raftLog.applied; i++) {
      if (i > 5000 || this.d.stopped()) throw rpcError(rpctypes.Timeout);
      await Bun.sleep(1);
    }
    const id = this.d.nextRequestId();
    const result = wait.register<ApplyResult>(id);
    try {
      node.proposeConfChange({ ...cc, id });
    } catch (e) {
      wait.fail(id, e);
      await result.catch(() => undefined);
      throw e instanceof ProposalDroppedError ? rpcError(rpctypes.NoLeader) : e;
    }
    this.d.kick();
    const r = await result;
    if ("err" in r) throw r.err;
    return r.ok as Member[];
  }
}
