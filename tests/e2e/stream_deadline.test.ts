// A streaming call's grpc-timeout, side by side with the real etcd 3.4.23: a Watch or LeaseKeepAlive stream the client
// keeps open is ended by the server at the deadline with "context deadline exceeded", and the stream is closed even
// though the client never half-closed. etcd's status code is Unknown, now and then DeadlineExceeded (its handler
// races ctx.Done against the receive loop's error); ours is always Unknown.
import { expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import * as pb from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeFrame } from "../../rpc/grpc/framing.ts";
import { h2connect } from "../rpc/support/raw_grpc.ts";
import { refAndTarget } from "../support/pair.ts";

const pair = refAndTarget("bunetcd-stream-deadline-");
const watchCreate = encodeFrame(toBinary(pb.WatchRequestSchema, create(pb.WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: new TextEncoder().encode("dl") } } })));

/** Opens the stream with a 300 ms grpc-timeout, sends `first` (if any) without half-closing, and waits for the stream to close. */
async function endOfStream(endpoint: string, path: string, first?: Uint8Array) {
  const s = await h2connect(endpoint);
  try {
    const t0 = performance.now();
    const req = s.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", "grpc-timeout": "300m" });
    let status: Record<string, unknown> = {};
    req.on("response", (h) => (status = h));
    req.on("trailers", (t) => (status = t));
    req.resume();
    if (first) req.write(first);
    const ms = await new Promise<number>((resolve) => req.once("close", () => resolve(performance.now() - t0)));
    return { code: status["grpc-status"], message: status["grpc-message"], ms };
  } finally {
    s.close();
  }
}

for (const [path, first] of [
  ["/etcdserverpb.Watch/Watch", watchCreate],
  ["/etcdserverpb.Watch/Watch", undefined],
  ["/etcdserverpb.Lease/LeaseKeepAlive", undefined],
] as const) {
  test(`${path.split("/")[2]}${first ? " with a watch created" : ""}: ended at the deadline as etcd ends it`, async () => {
    const { ref, sut } = pair.both();
    const [want, got] = await Promise.all([endOfStream(ref.endpoint, path, first), endOfStream(sut.endpoint, path, first)]);
    expect(want.message).toBe("context deadline exceeded");
    expect(["2", "4"]).toContain(want.code as string);
    expect(got.message).toBe(want.message);
    expect(got.code).toBe("2");
    for (const { ms } of [want, got]) {
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(3000);
    }
  }, 30_000);
}
