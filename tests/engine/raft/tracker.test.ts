// ProgressTracker: majority commit index, vote tallies (only voters count), quorum activity.
import { describe, expect, test } from "bun:test";
import { Progress } from "../../../engine/raft/progress.ts";
import { ProgressTracker, VoteResult } from "../../../engine/raft/tracker.ts";

function tracker(voters: bigint[], learners: bigint[] = []): ProgressTracker {
  const t = new ProgressTracker(8);
  for (const id of voters) {
    t.voters.add(id);
    t.progress.set(id, new Progress(0, 1, 8, false));
  }
  for (const id of learners) {
    t.learners.add(id);
    t.progress.set(id, new Progress(0, 1, 8, true));
  }
  return t;
}

describe("ProgressTracker", () => {
  test("committed is the highest index held by a majority of voters; learners do not count", () => {
    const t = tracker([1n, 2n, 3n, 4n, 5n], [6n]);
    [9, 7, 5, 3, 1].forEach((m, i) => (t.progress.get(BigInt(i + 1))!.match = m));
    t.progress.get(6n)!.match = 100;
    expect(t.committed()).toBe(5);
    const single = tracker([1n]);
    single.progress.get(1n)!.match = 42;
    expect(single.committed()).toBe(42);
    expect(tracker([]).committed()).toBe(0);
  });

  test("votes: won with a majority, lost once a majority is impossible, learners ignored", () => {
    const t = tracker([1n, 2n, 3n], [4n]);
    t.recordVote(1n, true);
    t.recordVote(4n, true);
    expect(t.tallyVotes()).toBe(VoteResult.Pending);
    t.recordVote(2n, false);
    expect(t.tallyVotes()).toBe(VoteResult.Pending);
    t.recordVote(2n, true); // the first answer of a voter sticks
    t.recordVote(3n, false);
    expect(t.tallyVotes()).toBe(VoteResult.Lost);
    t.resetVotes();
    t.recordVote(1n, true);
    t.recordVote(3n, true);
    expect(t.tallyVotes()).toBe(VoteResult.Won);
  });

  test("quorumActive counts recently active voters only", () => {
    const t = tracker([1n, 2n, 3n], [4n]);
    t.progress.get(1n)!.recentActive = true;
    t.progress.get(4n)!.recentActive = true;
    expect(t.quorumActive()).toBe(false);
    t.progress.get(3n)!.recentActive = true;
    expect(t.quorumActive()).toBe(true);
  });
});
