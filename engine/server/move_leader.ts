// Maintenance.MoveLeader as etcd 3.4 answers it (etcdserver/api/v3rpc/maintenance.go, EtcdServer.MoveLeader):
// only the leader moves leadership ("etcdserver: not leader"); the target must be a voting member
// ("etcdserver: bad leader transferee"); then Raft is asked to transfer and the call returns once the target
// leads — at once when the target is this member, the leader already. A transfer that does not finish before
// the caller gives up (or the request timeout) fails with etcd's leader-transfer timeout.
import { create } from "@bufbuild/protobuf";
import { type MoveLeaderResponse, MoveLeaderResponseSchema } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { rpcError, rpctypes } from "../../rpc/errors.ts";
import { goDuration } from "./go_duration.ts";
import { idString } from "./ids.ts";
import type { Logger } from "./log.ts";
import { TIMEOUT_LEADER_TRANSFER } from "./member_checks.ts";
import type { Membership } from "./membership.ts";

export interface MoveLeaderDeps {
  self: bigint;
  membership: Membership;
  leader(): bigint;
  /** Asks Raft to hand leadership to `target` (and runs a Raft cycle). */
  transfer(target: bigint): void;
  /** How often the leader is checked (etcd: one tick). */
  tickMs: number;
  /** Upper bound when the caller sets no deadline (etcd's request timeout). */
  timeoutMs: number;
  log: Logger;
}

export async function moveLeader(d: MoveLeaderDeps, target: bigint, signal?: AbortSignal): Promise<MoveLeaderResponse> {
  const lead = d.leader();
  if (lead !== d.self) throw rpcError(rpctypes.NotLeader);
  const m = d.membership.members.get(target);
  if (!m || m.isLearner) throw rpcError(rpctypes.BadLeaderTransferee);
  const started = performance.now();
  d.log.info("etcdserver", `${idString(d.self)} starts leadership transfer from ${idString(lead)} to ${idString(target)}`);
  d.transfer(target);
  while (d.leader() !== target) {
    if (signal?.aborted || performance.now() - started > d.timeoutMs) throw rpcError(TIMEOUT_LEADER_TRANSFER);
    await Bun.sleep(d.tickMs);
  }
  const took = goDuration(performance.now() - started);
  d.log.info("etcdserver", `${idString(d.self)} finished leadership transfer from ${idString(lead)} to ${idString(target)} (took ${took})`);
  return create(MoveLeaderResponseSchema, {});
}
