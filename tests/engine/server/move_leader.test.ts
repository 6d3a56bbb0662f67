// MoveLeader as etcd answers it: not leader, bad transferee (unknown or learner), the leader itself (done at
// once), a voter that takes over, and one that never does (etcd's leader-transfer timeout, code Unknown).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { MvccStore } from "../../../engine/mvcc/store.ts";
import { Logger } from "../../../engine/server/log.ts";
import { Membership } from "../../../engine/server/membership.ts";
import { moveLeader } from "../../../engine/server/move_leader.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-moveleader-"));
const store = MvccStore.open(join(dir, "db"));
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
const membership = new Membership(store.backend);
for (const [id, isLearner] of [[1n, false], [2n, false], [3n, true]] as const) {
  membership.save({ id, name: `m${id}`, peerURLs: [`http://m${id}:2380`], clientURLs: [], isLearner });
}

function deps(leader: bigint, onTransfer: (t: bigint) => bigint = () => leader) {
  let lead = leader;
  const transfers: bigint[] = [];
  const lines: string[] = [];
  const d = {
    self: 1n, membership, leader: () => lead, tickMs: 1, timeoutMs: 50, log: new Logger({ sink: (l) => lines.push(l) }),
    transfer: (t: bigint) => {
      transfers.push(t);
      lead = onTransfer(t);
    },
  };
  return { d, transfers, lines };
}

async function refusal(p: Promise<unknown>): Promise<[Code, string]> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof ConnectError)) throw new Error(`expected a ConnectError, got ${String(e)}`);
  return [e.code, e.rawMessage];
}

test("refusals: not the leader, unknown target, learner target", async () => {
  expect(await refusal(moveLeader(deps(2n).d, 1n))).toEqual([Code.FailedPrecondition, "etcdserver: not leader"]);
  expect(await refusal(moveLeader(deps(1n).d, 9n))).toEqual([Code.FailedPrecondition, "etcdserver: bad leader transferee"]);
  expect(await refusal(moveLeader(deps(1n).d, 3n))).toEqual([Code.FailedPrecondition, "etcdserver: bad leader transferee"]);
});

test("to itself: answered at once; to a voter: once it leads; never: etcd's transfer timeout", async () => {
  const self = deps(1n);
  expect(await moveLeader(self.d, 1n)).toBeDefined();
  expect(self.transfers).toEqual([1n]);
  expect(self.lines[1]).toMatch(/I \| etcdserver: 1 finished leadership transfer from 1 to 1 \(took [\d.]+(µs|ms)\)$/);
  const other = deps(1n, (t) => t);
  await moveLeader(other.d, 2n);
  expect(other.transfers).toEqual([2n]);
  expect(await refusal(moveLeader(deps(1n).d, 2n))).toEqual([Code.Unknown, "etcdserver: request timed out, leader transfer took too long"]);
});
