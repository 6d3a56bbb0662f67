// The Cluster service's own check before the server: MemberAdd's peer URLs as etcd's types.NewURLs checks
// them ("given member URLs are invalid", InvalidArgument), passed on trimmed and sorted.
import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext } from "@connectrpc/connect";
import { Cluster, MemberAddRequestSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { clusterService } from "../../../rpc/services/cluster.ts";
import { createFakeServer } from "../fakes/fake_server.ts";

const ctx = createHandlerContext({
  service: Cluster, method: Cluster.method.memberAdd, protocolName: "connect", requestMethod: "POST", url: "http://localhost/", requestSignal: new AbortController().signal,
});

test("MemberAdd refuses invalid peer URLs before the server sees them", async () => {
  const fake = createFakeServer();
  const svc = clusterService(fake);
  for (const urls of [[], ["foo"], ["http://127.0.0.1"], ["http://127.0.0.1:2380/path"], ["ftp://127.0.0.1:2380"]]) {
    const e = await Promise.resolve(svc.memberAdd(create(MemberAddRequestSchema, { peerURLs: urls }), ctx)).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectError);
    expect([(e as ConnectError).code, (e as ConnectError).rawMessage]).toEqual([Code.InvalidArgument, "etcdserver: given member URLs are invalid"]);
  }
  expect(fake.calls).toEqual([]);
});

test("MemberAdd passes the URLs on trimmed and sorted, with the learner flag", async () => {
  const fake = createFakeServer();
  const r = await clusterService(fake).memberAdd(create(MemberAddRequestSchema, { peerURLs: [" http://b:2380", "http://a:2380 "], isLearner: true }), ctx);
  expect(fake.calls).toEqual(["memberAdd"]);
  expect([r.member?.peerURLs, r.member?.isLearner]).toEqual([["http://a:2380", "http://b:2380"], true]);
});
