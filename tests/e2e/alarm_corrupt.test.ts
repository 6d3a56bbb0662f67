// The CORRUPT alarm, side by side with the real etcd: raised through the Alarm RPC (ACTIVATE, as etcd's corruption
// checker does), it makes every KV and lease request that goes through the log fail with "etcdserver: corrupt
// cluster" while serializable and linearizable reads still answer; `alarm list` shows it; `alarm disarm` ends it.
import { expect, test } from "bun:test";
import { createClient } from "@connectrpc/connect";
import { clientTransport } from "../../rpc/client/transport.ts";
import { AlarmRequest_AlarmAction, AlarmType, Maintenance } from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { compareSteps, steps } from "../support/etcdctl_compare.ts";
import { refAndTarget } from "../support/pair.ts";

const pair = refAndTarget("bunetcd-corrupt-");

async function raiseCorrupt(endpoint: string): Promise<void> {
  const m = createClient(Maintenance, clientTransport(endpoint));
  const memberID = (await m.status({})).header!.memberId;
  const r = await m.alarm({ action: AlarmRequest_AlarmAction.ACTIVATE, memberID, alarm: AlarmType.CORRUPT });
  expect(r.alarms.map((a) => a.alarm)).toEqual([AlarmType.CORRUPT]);
}

test("CORRUPT: writes, compaction and lease grants fail as with etcd, reads still work, disarm restores writes", async () => {
  const { ref, sut } = pair.both();
  const before = await compareSteps(ref.endpoint, sut.endpoint, steps(["put a 1", "put b 2"]));
  expect(before).toEqual([]);
  await Promise.all([raiseCorrupt(ref.endpoint), raiseCorrupt(sut.endpoint)]);
  const diffs = await compareSteps(ref.endpoint, sut.endpoint, steps([
    "alarm list",
    "put a 3",
    "get a",
    "get a --consistency=s",
    "del b",
    "compaction 2",
    "lease grant 60",
    { args: ["txn"], stdin: 'value("a") = "1"\n\nput c 1\n\nget a\n\n' }, // a write txn: through the log
    { args: ["txn"], stdin: 'value("a") = "1"\n\nget a\n\nget b\n\n' }, // read-only: served without the log
    "alarm disarm",
    "alarm list",
    "put a 4",
    "get a",
  ]));
  expect(diffs).toEqual([]);
  const put = await sut.etcdctl(["put", "x", "y"]);
  expect(put.code).toBe(0);
}, 60_000);
