// The four roles of a Raft node (numbered as etcd's StateType) and the kinds of campaign.

export enum StateType {
  StateFollower = 0,
  StateCandidate = 1,
  StateLeader = 2,
  StatePreCandidate = 3,
}

export enum CampaignKind {
  /** PreVote round first (term not bumped until a quorum says it could win). */
  PreElection = 0,
  /** A real election: bump the term and vote for ourselves. */
  Election = 1,
  /** Forced by MsgTimeoutNow during leader transfer: voters ignore their leader lease. */
  Transfer = 2,
}

/** Context bytes marking a transfer-forced vote request ("CampaignTransfer", as in etcd). */
export const CAMPAIGN_TRANSFER_CONTEXT = new TextEncoder().encode("CampaignTransfer");

export function isTransferContext(ctx: Uint8Array | null): boolean {
  if (ctx === null || ctx.length !== CAMPAIGN_TRANSFER_CONTEXT.length) return false;
  for (let i = 0; i < ctx.length; i++) if (ctx[i] !== CAMPAIGN_TRANSFER_CONTEXT[i]) return false;
  return true;
}
