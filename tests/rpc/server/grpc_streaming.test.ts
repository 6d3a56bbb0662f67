// gRPC streaming on the direct HTTP/2 path: bidi (TEST-ONLY fake Watch) and server streaming (TEST-ONLY fake
// Snapshot), through connect-node's gRPC client and a raw HTTP/2 client: ordering, interleaving with requests,
// mid-stream errors after data, flow control back to the producer, and cleanup when the client cancels.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  Maintenance,
  SnapshotRequestSchema,
  SnapshotResponseSchema,
  Watch,
  WatchRequestSchema,
  type WatchRequest,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { createFakeSnapshot, snapshotByte, type FakeSnapshot } from "../fakes/fake_snapshot.ts";
import { createFakeWatch, type FakeWatch } from "../fakes/fake_watch.ts";
import { frame, h2connect, unframe } from "../support/raw_grpc.ts";
import { serve, type TestServer } from "../support/serve.ts";

const CHUNKS = 256;
const CHUNK_BYTES = 64 * 1024;

let srv: TestServer;
let failing: TestServer;
let watch: FakeWatch;
let snap: FakeSnapshot;
beforeAll(async () => {
  watch = createFakeWatch();
  snap = createFakeSnapshot({ chunks: CHUNKS, chunkBytes: CHUNK_BYTES });
  srv = await serve((s) => s.service(Watch, watch.impl).service(Maintenance, snap.impl));
  failing = await serve((s) => s.service(Maintenance, createFakeSnapshot({ chunks: 10, chunkBytes: 10, failAfter: 3 }).impl));
});
afterAll(async () => {
  await srv.close();
  await failing.close();
});

/** A request stream the test feeds one message at a time. */
function requestFeed() {
  const pending: WatchRequest[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    send(r: WatchRequest) {
      pending.push(r);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (pending.length) yield pending.shift()!;
        else if (ended) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

const enc = (s: string) => new TextEncoder().encode(s);

describe("bidi streaming (fake Watch) over gRPC", () => {
  test("responses follow each request while the request stream stays open; half-close ends the call OK", async () => {
    const client = createClient(Watch, createGrpcTransport({ baseUrl: srv.origin }));
    const feed = requestFeed();
    const responses = client.watch(feed)[Symbol.asyncIterator]();
    feed.send(create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: enc("a"), startRevision: 2n } } }));
    const created = (await responses.next()).value;
    expect(created).toMatchObject({ created: true });
    const id = created.watchId;
    const ev1 = (await responses.next()).value;
    const ev2 = (await responses.next()).value;
    expect([ev1, ev2].map((r) => new TextDecoder().decode(r.events[0].kv.value))).toEqual(["v1", "v2"]);
    // the call is still open: a second request, sent only now, gets its answer
    feed.send(create(WatchRequestSchema, { requestUnion: { case: "progressRequest", value: {} } }));
    expect((await responses.next()).value).toMatchObject({ watchId: -1n, header: { revision: 100n } });
    feed.send(create(WatchRequestSchema, { requestUnion: { case: "cancelRequest", value: { watchId: id } } }));
    expect((await responses.next()).value).toMatchObject({ watchId: id, canceled: true, cancelReason: "canceled by client" });
    feed.end();
    expect((await responses.next()).done).toBe(true);
  });

  test("a client cancel aborts ctx.signal and runs the implementation's finally", async () => {
    const before = watch.log.length;
    const ac = new AbortController();
    const client = createClient(Watch, createGrpcTransport({ baseUrl: srv.origin }));
    const feed = requestFeed();
    const responses = client.watch(feed, { signal: ac.signal })[Symbol.asyncIterator]();
    feed.send(create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: enc("b") } } }));
    expect((await responses.next()).value).toMatchObject({ created: true });
    ac.abort();
    await expect(responses.next()).rejects.toThrow();
    for (let i = 0; i < 100 && !watch.log.slice(before).includes("finally"); i++) await Bun.sleep(10);
    expect(watch.log.slice(before)).toEqual(["start", "aborted", "finally"]);
  });

  test("at its grpc-timeout a stream still open ends with Unknown 'context deadline exceeded' (etcd), ctx.signal aborts", async () => {
    const before = watch.log.length;
    const session = await h2connect(srv.origin);
    try {
      const t0 = performance.now();
      const req = session.request({ ":method": "POST", ":path": "/etcdserverpb.Watch/Watch", "content-type": "application/grpc", te: "trailers", "grpc-timeout": "200m" });
      let trailers: Record<string, unknown> = {};
      let messages = 0;
      req.on("trailers", (t) => (trailers = t));
      req.on("data", (c: Buffer) => (messages += unframe(c).length));
      const closed = new Promise<number>((resolve) => req.once("close", () => resolve(performance.now() - t0)));
      // the client never half-closes: only the deadline can end the call, and the server must close the stream
      req.write(frame(toBinary(WatchRequestSchema, create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: enc("d") } } }))));
      const ms = await closed;
      expect(messages).toBe(1);
      expect(trailers["grpc-status"]).toBe("2");
      expect(trailers["grpc-message"]).toBe("context deadline exceeded");
      expect(ms).toBeGreaterThanOrEqual(190);
      expect(ms).toBeLessThan(5000);
    } finally {
      session.close();
    }
    for (let i = 0; i < 100 && !watch.log.slice(before).includes("finally"); i++) await Bun.sleep(10);
    expect(watch.log.slice(before)).toEqual(["start", "aborted", "finally"]);
  });

  test("a grpc-timeout longer than a timer can hold (30 days) does not end the stream", async () => {
    const session = await h2connect(srv.origin);
    try {
      const req = session.request({ ":method": "POST", ":path": "/etcdserverpb.Watch/Watch", "content-type": "application/grpc", te: "trailers", "grpc-timeout": "2592000S" });
      let closed = false;
      req.on("close", () => (closed = true));
      const first = new Promise<number>((resolve) => req.once("data", (c: Buffer) => resolve(unframe(c).length)));
      req.write(frame(toBinary(WatchRequestSchema, create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: enc("long") } } }))));
      expect(await first).toBe(1);
      await Bun.sleep(300);
      expect(closed).toBe(false);
      req.close();
    } finally {
      session.close();
    }
  });

  test("a malformed request message mid-stream fails the call with InvalidArgument after earlier responses", async () => {
    const session = await h2connect(srv.origin);
    try {
      const req = session.request({ ":method": "POST", ":path": "/etcdserverpb.Watch/Watch", "content-type": "application/grpc", te: "trailers" });
      const chunks: Buffer[] = [];
      let trailers: Record<string, unknown> = {};
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("trailers", (t) => (trailers = t));
      const done = new Promise((r) => req.on("close", r));
      const good = toBinary(WatchRequestSchema, create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: enc("c") } } }));
      req.write(frame(good));
      req.end(frame(Uint8Array.of(0x0a, 0xff))); // field 1, length 255, no bytes: truncated
      await done;
      expect(unframe(Buffer.concat(chunks)).length).toBe(1);
      expect(trailers["grpc-status"]).toBe(String(Code.InvalidArgument));
      expect(String(trailers["grpc-message"])).toStartWith("grpc: error unmarshalling request:");
    } finally {
      session.close();
    }
  });
});

describe("server streaming (fake Snapshot) over gRPC", () => {
  test("streams 16 MiB in order with remaining_bytes counting down", async () => {
    const client = createClient(Maintenance, createGrpcTransport({ baseUrl: srv.origin }));
    let offset = 0;
    let lastRemaining = -1n;
    let mismatches = 0;
    for await (const r of client.snapshot({})) {
      for (let i = 0; i < r.blob.length; i += 4093) if (r.blob[i] !== snapshotByte(offset + i)) mismatches++;
      offset += r.blob.length;
      lastRemaining = r.remainingBytes;
    }
    expect(offset).toBe(CHUNKS * CHUNK_BYTES);
    expect(lastRemaining).toBe(0n);
    expect(mismatches).toBe(0);
  }, 20_000);

  test("an error after some messages arrives as the trailer status, after those messages", async () => {
    const client = createClient(Maintenance, createGrpcTransport({ baseUrl: failing.origin }));
    let received = 0;
    let err: unknown;
    try {
      for await (const _ of client.snapshot({})) received++;
    } catch (e) {
      err = e;
    }
    expect(received).toBe(3);
    expect(err).toBeInstanceOf(ConnectError);
    expect({ code: (err as ConnectError).code, msg: (err as ConnectError).rawMessage }).toEqual({ code: Code.DataLoss, msg: "etcdserver: snapshot failed (fake)" });
  });

  test("a client that stops reading stops the producer (flow control reaches the generator)", async () => {
    const session = await h2connect(srv.origin);
    try {
      const startProduced = snap.produced();
      const req = session.request({ ":method": "POST", ":path": "/etcdserverpb.Maintenance/Snapshot", "content-type": "application/grpc", te: "trailers" });
      req.end(frame(toBinary(SnapshotRequestSchema, create(SnapshotRequestSchema))));
      await new Promise((r) => req.once("response", r));
      req.pause();
      await Bun.sleep(300);
      const whilePaused = snap.produced() - startProduced;
      expect(whilePaused).toBeLessThan(CHUNKS / 2);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.resume();
      await new Promise((r) => req.on("end", r));
      const msgs = unframe(Buffer.concat(chunks));
      expect(msgs.length).toBe(CHUNKS);
      expect(fromBinary(SnapshotResponseSchema, msgs[CHUNKS - 1]).remainingBytes).toBe(0n);
    } finally {
      session.close();
    }
  }, 20_000);
});
