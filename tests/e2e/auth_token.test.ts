// The auth-token hook with auth disabled, side by side with the real etcd 3.4.23: a request carrying a token
// ("token" metadata, or the gateway's Authorization header) is refused by the calls etcd checks, with etcd's code
// and message, and served by the ones it does not check; a token naming an index not applied yet is refused
// only at the call's deadline; a Watch create with a token is cancelled with etcd's reason, the stream lives on.
import { expect, test } from "bun:test";
import { create, type DescMessage, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import * as pb from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../rpc/grpc/framing.ts";
import { h2connect, rawGrpcCall, unframe } from "../rpc/support/raw_grpc.ts";
import { refAndTarget } from "../support/pair.ts";

const pair = refAndTarget("bunetcd-auth-token-");
const key = new TextEncoder().encode("tk");
const body = <D extends DescMessage>(schema: D, v: MessageInitShape<D>) => encodeFrame(toBinary(schema, create(schema, v)));

/** Unary (and server-streaming) calls whose status with a token is compared; the request makes them succeed without one. */
const CALLS: [string, Uint8Array][] = [
  ["/etcdserverpb.KV/Range", body(pb.RangeRequestSchema, { key })],
  ["/etcdserverpb.KV/Put", body(pb.PutRequestSchema, { key, value: key })],
  ["/etcdserverpb.KV/DeleteRange", body(pb.DeleteRangeRequestSchema, { key })],
  ["/etcdserverpb.KV/Txn", body(pb.TxnRequestSchema, {})],
  ["/etcdserverpb.KV/Compact", body(pb.CompactionRequestSchema, { revision: 1n })],
  ["/etcdserverpb.Lease/LeaseGrant", body(pb.LeaseGrantRequestSchema, { TTL: 10n })],
  ["/etcdserverpb.Lease/LeaseRevoke", body(pb.LeaseRevokeRequestSchema, { ID: 1n })],
  ["/etcdserverpb.Lease/LeaseTimeToLive", body(pb.LeaseTimeToLiveRequestSchema, { ID: 1n })],
  ["/etcdserverpb.Lease/LeaseLeases", body(pb.LeaseLeasesRequestSchema, {})],
  ["/etcdserverpb.Maintenance/Status", body(pb.StatusRequestSchema, {})],
  ["/etcdserverpb.Maintenance/Alarm", body(pb.AlarmRequestSchema, {})],
  ["/etcdserverpb.Maintenance/Hash", body(pb.HashRequestSchema, {})],
  ["/etcdserverpb.Maintenance/HashKV", body(pb.HashKVRequestSchema, {})],
  ["/etcdserverpb.Maintenance/Defragment", body(pb.DefragmentRequestSchema, {})],
  ["/etcdserverpb.Maintenance/Snapshot", body(pb.SnapshotRequestSchema, {})],
  ["/etcdserverpb.Maintenance/MoveLeader", body(pb.MoveLeaderRequestSchema, { targetID: 5n })],
  ["/etcdserverpb.Cluster/MemberList", body(pb.MemberListRequestSchema, {})],
  ["/etcdserverpb.Cluster/MemberAdd", body(pb.MemberAddRequestSchema, { peerURLs: ["http://127.0.0.1:1"], isLearner: true })],
  ["/etcdserverpb.Cluster/MemberRemove", body(pb.MemberRemoveRequestSchema, { ID: 5n })],
  ["/etcdserverpb.Cluster/MemberUpdate", body(pb.MemberUpdateRequestSchema, { ID: 5n, peerURLs: ["http://127.0.0.1:1"] })],
  ["/etcdserverpb.Cluster/MemberPromote", body(pb.MemberPromoteRequestSchema, { ID: 5n })],
  ["/etcdserverpb.Auth/Authenticate", body(pb.AuthenticateRequestSchema, { name: "root", password: "x" })],
  ["/etcdserverpb.Auth/UserGet", body(pb.AuthUserGetRequestSchema, { name: "x" })],
  ["/etcdserverpb.Auth/AuthDisable", body(pb.AuthDisableRequestSchema, {})],
];

async function statuses(endpoint: string, headers: Record<string, string>): Promise<string[]> {
  const s = await h2connect(endpoint);
  try {
    const out: string[] = [];
    for (const [path, b] of CALLS) {
      const r = await rawGrpcCall(s, path, b, headers);
      out.push(`${path} ${r.status} ${r.status === "0" ? "" : r.message ?? ""}`);
    }
    return out;
  } finally {
    s.close();
  }
}

test("a token is refused by exactly the calls etcd checks, with etcd's codes and messages", async () => {
  const { ref, sut } = pair.both();
  for (const token of ["bogus", "abc.1", "a.b.3"]) {
    const [want, got] = [await statuses(ref.endpoint, { token }), await statuses(sut.endpoint, { token })];
    expect(got).toEqual(want);
    expect(want.filter((l) => l.includes("invalid auth token")).length).toBeGreaterThan(15); // the test sees refusals
  }
  // no token: every call of the list answers as it does on etcd (here without an auth error)
  const plain = await statuses(sut.endpoint, {});
  expect(plain.filter((l) => l.includes("auth token"))).toEqual([]);
}, 60_000);

test("a token naming an index not applied yet is answered at the call's deadline, as etcd does", async () => {
  const { ref, sut } = pair.both();
  const timed = async (endpoint: string) => {
    const s = await h2connect(endpoint);
    try {
      const t0 = performance.now();
      const r = await rawGrpcCall(s, "/etcdserverpb.KV/Range", CALLS[0]![1], { token: "abc.999999999", "grpc-timeout": "700m" });
      return { status: `${r.status} ${r.message}`, ms: performance.now() - t0 };
    } finally {
      s.close();
    }
  };
  const [want, got] = await Promise.all([timed(ref.endpoint), timed(sut.endpoint)]);
  expect(got.status).toBe(want.status);
  expect(want.status).toBe("16 etcdserver: invalid auth token");
  expect(got.ms).toBeGreaterThan(500); // not before the deadline: it waited for the index
}, 30_000);

test("the JSON gateway passes on only the Authorization header", async () => {
  const { ref, sut } = pair.both();
  const call = async (endpoint: string, headers: Record<string, string>) => {
    const r = await fetch(`${endpoint}/v3/kv/range`, { method: "POST", headers, body: JSON.stringify({ key: "dGs=" }) });
    const j = (await r.json()) as { header?: unknown; error?: string; code?: number };
    return { status: r.status, error: j.error, code: j.code, ok: j.header !== undefined };
  };
  for (const headers of [{ authorization: "bogus" }, { token: "bogus" }] as Record<string, string>[]) {
    expect(await call(sut.endpoint, headers)).toEqual(await call(ref.endpoint, headers));
  }
});

test("a Watch create with a token is cancelled with etcd's reason; the stream stays open", async () => {
  const { ref, sut } = pair.both();
  const firstResponse = async (endpoint: string) => {
    const s = await h2connect(endpoint);
    try {
      const req = s.request({ ":method": "POST", ":path": "/etcdserverpb.Watch/Watch", "content-type": "application/grpc", te: "trailers", token: "bogus" });
      const got = new Promise<pb.WatchResponse>((resolve) => req.once("data", (c: Buffer) => resolve(fromBinary(pb.WatchResponseSchema, unframe(c)[0]!))));
      req.write(body(pb.WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key } } }));
      const r = await got;
      const open = await Promise.race([new Promise((res) => req.once("close", () => res(false))), Bun.sleep(300).then(() => true)]);
      req.close();
      return { watchId: r.watchId, created: r.created, canceled: r.canceled, reason: r.cancelReason, open };
    } finally {
      s.close();
    }
  };
  const [want, got] = await Promise.all([firstResponse(ref.endpoint), firstResponse(sut.endpoint)]);
  expect(got).toEqual(want);
  expect(want).toMatchObject({ watchId: -1n, created: true, canceled: true, open: true });
}, 30_000);
