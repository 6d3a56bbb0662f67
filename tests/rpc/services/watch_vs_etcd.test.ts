// The Watch service over raw gRPC, a real etcd vs the target (E2E_TARGET, default bunetcd), the same request
// script on both: auto and explicit watch ids, a duplicate id and an empty range (canceled responses with
// etcd's reasons), "" and "\0" keys/range ends, filters, prev_kv, start revisions in the past, cancel (known and
// unknown ids), progress requests, compaction, fragment=true on a catch-up batch over max-request-bytes +
// 512 KiB, and progress_notify. Responses are compared per watch id, cluster-specific header fields left out.
import { describe, expect, test } from "bun:test";
import { WatchCreateRequest_FilterType as Filter } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { type Member, runEtcdctl } from "../../support/etcd.ts";
import { refAndTarget } from "../../support/pair.ts";
import { byWatchId, enc, openWatch, summary } from "./watch_client.ts";

const SLOW = 60_000;
const MAX_REQUEST_BYTES = 4096;
const pair = refAndTarget("watch-grpc-", ["--max-request-bytes", String(MAX_REQUEST_BYTES), "--experimental-watch-progress-notify-interval", "200ms"]);

const ctl = (m: Member, ...args: string[]) => runEtcdctl(m.endpoint, args);

async function basics(m: Member) {
  const w = openWatch(m.endpoint);
  try {
    await ctl(m, "put", "a", "0");
    w.create({ key: enc("a") });
    w.create({ key: enc("a"), watchId: 5n, prevKv: true });
    w.create({ key: enc("a"), watchId: 5n });
    w.create({ key: enc("b"), rangeEnd: enc("a") });
    w.create({ key: enc(""), rangeEnd: enc("\0") });
    w.create({ key: enc("p/"), rangeEnd: enc("p0"), filters: [Filter.NOPUT] });
    w.create({ key: enc("p/"), rangeEnd: enc("p0"), filters: [Filter.NODELETE] });
    w.create({ key: enc("a"), startRevision: 1n });
    const created = await w.drain();
    for (const args of [["put", "a", "1"], ["put", "p/x", "1"], ["del", "p/x"], ["put", "a", "2"]]) await ctl(m, ...args);
    const events = await w.drain();
    w.cancel(5n);
    w.cancel(99n);
    w.progress();
    await ctl(m, "put", "a", "3");
    const afterCancel = await w.drain();
    return { created: created.map(summary), events: byWatchId(events), afterCancel: byWatchId(afterCancel) };
  } finally {
    w.close();
  }
}

async function compacted(m: Member) {
  const w = openWatch(m.endpoint);
  try {
    await ctl(m, "compact", "4");
    w.create({ key: enc("a"), startRevision: 2n });
    w.create({ key: enc("a"), startRevision: 4n, watchId: 7n });
    const rs = await w.drain();
    w.cancel(0n);
    return { first: byWatchId(rs), cancelAfterCompaction: (await w.drain()).map(summary) };
  } finally {
    w.close();
  }
}

async function fragmented(m: Member) {
  const value = "v".repeat(3500);
  const first = Number(JSON.parse((await ctl(m, "put", "f/0", value, "-w", "json")).stdout).header.revision);
  for (let i = 1; i < 200; i++) await ctl(m, "put", `f/${i}`, value);
  const w = openWatch(m.endpoint);
  try {
    w.create({ key: enc("f/"), rangeEnd: enc("f0"), startRevision: BigInt(first), fragment: true });
    w.create({ key: enc("f/"), rangeEnd: enc("f0"), startRevision: BigInt(first) });
    const rs = await w.drain(500);
    // per watch id, in order (etcd serves the two catch-ups in either order)
    const all = rs.map((r) => ({ id: Number(r.watchId), created: r.created, fragment: r.fragment, n: r.events.length, rev: Number(r.header?.revision) }));
    return all.sort((a, b) => a.id - b.id);
  } finally {
    w.close();
  }
}

async function progressNotify(m: Member) {
  const w = openWatch(m.endpoint);
  try {
    w.create({ key: enc("quiet"), progressNotify: true });
    const created = await w.recv();
    const progress = await w.recv(2000);
    return [created, progress].map((r) => (typeof r === "string" ? r : summary(r)));
  } finally {
    w.close();
  }
}

describe(`Watch over gRPC: etcd vs ${pair.name}`, () => {
  for (const [name, scenario] of [["create/cancel/progress, filters, prev_kv, ids", basics], ["compaction", compacted], ["fragments", fragmented], ["progress_notify", progressNotify]] as const) {
    test(name, async () => {
      const { ref, sut } = pair.both();
      const [want, got] = await Promise.all([scenario(ref), scenario(sut)]);
      if (process.env.E2E_VERBOSE) console.log(JSON.stringify(want));
      expect(got).toEqual(want as never);
    }, SLOW);
  }
});
