// Configuration of one Raft node, with etcd-like defaults and validation. Ticks are logical: the caller
// decides how long one tick is (etcd: 100 ms, so election 10 ticks = 1 s, heartbeat 1 tick).
import { RaftError } from "./errors.ts";
import { seedFromId } from "./rand.ts";
import type { Storage } from "./storage.ts";
import { type NodeId, NONE } from "./types.ts";

export interface Config {
  /** This node's id, never 0n. */
  id: NodeId;
  /** The persisted log and state to start from. */
  storage: Storage;
  /** Ticks without hearing from a leader before campaigning; the actual timeout is random in [e, 2e). Default 10. */
  electionTick?: number;
  /** Ticks between leader heartbeats. Default 1. */
  heartbeatTick?: number;
  /**
   * The last index the application already applied (on restart); committed entries after it are handed out
   * again. Membership is rebuilt from the snapshot's ConfState plus the conf changes the application
   * re-applies (applyConfChange) from those entries, so leave this at the snapshot index (the default, 0 =
   * snapshot index) unless the application restores membership itself.
   */
  applied?: number;
  /** Byte limit of the entries in one MsgApp. Default 1 MiB. */
  maxSizePerMsg?: number;
  /** Byte limit of the committed entries handed out in one Ready. Default unlimited. */
  maxCommittedSizePerReady?: number;
  /** MsgApps in flight per follower in replicate state. Default 256. */
  maxInflightMsgs?: number;
  /** A leader steps down when it has not heard from a quorum within an election timeout. Default true. */
  checkQuorum?: boolean;
  /** Run a pre-election so a partitioned node cannot disrupt the cluster by bumping terms. Default true. */
  preVote?: boolean;
  /** Seed of the election-timeout randomness. Default: derived from id. */
  randomSeed?: number;
}

export type ResolvedConfig = Required<Omit<Config, "applied">> & { applied: number };

export function resolveConfig(c: Config): ResolvedConfig {
  const r: ResolvedConfig = {
    id: c.id,
    storage: c.storage,
    electionTick: c.electionTick ?? 10,
    heartbeatTick: c.heartbeatTick ?? 1,
    applied: c.applied ?? 0,
    maxSizePerMsg: c.maxSizePerMsg ?? 1024 * 1024,
    maxCommittedSizePerReady: c.maxCommittedSizePerReady ?? Infinity,
    maxInflightMsgs: c.maxInflightMsgs ?? 256,
    checkQuorum: c.checkQuorum ?? true,
    preVote: c.preVote ?? true,
    randomSeed: c.randomSeed ?? seedFromId(c.id),
  };
  if (r.id === NONE) throw new RaftError("cannot use none as id");
  if (r.heartbeatTick <= 0) throw new RaftError("heartbeat tick must be greater than 0");
  if (r.electionTick <= r.heartbeatTick) throw new RaftError("election tick must be greater than heartbeat tick");
  if (r.maxInflightMsgs <= 0) throw new RaftError("max inflight messages must be greater than 0");
  return r;
}
