// The Watch service in-process (registerEtcdServices over the TEST-ONLY fake server, its watchStream() and
// header() taken from a real MvccStore in a temp dir, written to directly): the stream outlives the client's
// half-close, a client cancel closes the mvcc WatchStream, progress_notify at the configured interval, /v3/watch
// on the JSON gateway, and the pure parts (sendFragments' splitting, the progress interval's bounds).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MvccStore } from "../../../engine/mvcc/store.ts";
import type { WatchStream } from "../../../engine/mvcc/watch_stream.ts";
import type { EtcdServerApi } from "../../../engine/server/api.ts";
import { ResponseHeaderSchema, WatchResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EventSchema, KeyValueSchema } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";
import { registerEtcdServices } from "../../../rpc/services/register.ts";
import { DEFAULT_PROGRESS_NOTIFY_MS, MIN_PROGRESS_NOTIFY_MS, progressInterval } from "../../../rpc/services/watch.ts";
import { fragments } from "../../../rpc/services/watch_wire.ts";
import { createFakeServer } from "../fakes/fake_server.ts";
import { serve, type TestServer } from "../support/serve.ts";
import { enc, openWatch, summary } from "./watch_client.ts";

const dir = mkdtempSync(join(tmpdir(), "watch-service-"));
let store: MvccStore;
let srv: TestServer;
const streams: WatchStream[] = [];

beforeAll(async () => {
  store = MvccStore.open(join(dir, "w.db"), { noSync: true, watch: { syncIntervalMs: 5 } });
  const api: EtcdServerApi = {
    ...createFakeServer(),
    watchStream() {
      const s = store.newWatchStream();
      streams.push(s);
      return s;
    },
    header: (rev = store.currentRevision) => create(ResponseHeaderSchema, { clusterId: 1n, memberId: 2n, revision: BigInt(rev), raftTerm: 3n }),
  };
  srv = await serve((s) => registerEtcdServices(s, api, { watchProgressNotifyIntervalMs: MIN_PROGRESS_NOTIFY_MS }));
});
afterAll(async () => {
  await srv.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const put = (k: string, v: string) => store.put({ key: enc(k), value: enc(v) });

describe("stream lifetime", () => {
  test("events still arrive after the client half-closes its requests (etcd's recvLoop returns nil on EOF)", async () => {
    const w = openWatch(srv.origin);
    try {
      w.create({ key: enc("h") });
      expect(await w.recv()).toMatchObject({ created: true, watchId: 0n });
      w.end();
      put("h", "1");
      const r = await w.recv();
      expect(typeof r !== "string" && summary(r).events).toEqual([[0, "h", "1", store.currentRevision]]);
    } finally {
      w.close();
    }
  });

  test("a client cancel closes the stream's mvcc WatchStream", async () => {
    const before = streams.length;
    const w = openWatch(srv.origin);
    w.create({ key: enc("c") });
    expect(await w.recv()).toMatchObject({ created: true });
    expect(streams.length).toBe(before + 1);
    w.close();
    expect(await streams.at(-1)!.next()).toBeUndefined(); // resolves only once closed
  });
});

describe("progress", () => {
  test("a progress_notify watcher with no events gets an empty response at the current revision", async () => {
    const w = openWatch(srv.origin);
    try {
      w.create({ key: enc("quiet"), progressNotify: true });
      w.create({ key: enc("quiet2") });
      await w.recv();
      await w.recv();
      const rev = store.currentRevision;
      const r = await w.recv(1000);
      expect(typeof r !== "string" && summary(r)).toMatchObject({ id: 0, rev, events: [], created: false, canceled: false });
    } finally {
      w.close();
    }
  });

  test("the interval: default 10 min, at least 100 ms, up to 10 % jitter", () => {
    for (const [given, base] of [[undefined, DEFAULT_PROGRESS_NOTIFY_MS], [0, DEFAULT_PROGRESS_NOTIFY_MS], [5, MIN_PROGRESS_NOTIFY_MS], [1000, 1000]] as const) {
      const got = progressInterval(given);
      expect(got).toBeGreaterThanOrEqual(base);
      expect(got).toBeLessThan(base * 1.1);
    }
  });
});

describe("JSON gateway", () => {
  test("POST /v3/watch streams {\"result\":…} lines: created, then events", async () => {
    const abort = new AbortController();
    const body = JSON.stringify({ create_request: { key: btoa("g") } });
    const res = await fetch(`${srv.origin}/v3/watch`, { method: "POST", body, signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = "";
    const line = async (n: number) => {
      while (text.split("\n").length < n + 2) text += dec.decode((await reader.read()).value, { stream: true });
      return JSON.parse(text.split("\n")[n]!).result;
    };
    try {
      expect(await line(0)).toMatchObject({ created: true, header: { revision: String(store.currentRevision) } });
      put("g", "v");
      expect((await line(1)).events).toEqual([
        { kv: { key: btoa("g"), value: btoa("v"), create_revision: expect.any(String), mod_revision: String(store.currentRevision), version: expect.any(String) } },
      ]);
    } finally {
      abort.abort();
    }
    expect(await streams.at(-1)!.next()).toBeUndefined(); // the client went away: the stream was closed
  });
});

describe("sendFragments", () => {
  const ev = (i: number, size: number) =>
    create(EventSchema, { kv: create(KeyValueSchema, { key: enc(`k${i}`), value: new Uint8Array(size), modRevision: BigInt(i) }) });
  const resp = (sizes: number[]) => create(WatchResponseSchema, { watchId: 3n, events: sizes.map((s, i) => ev(i, s)) });
  const shape = (rs: ReturnType<typeof fragments>) => rs.map((r) => [r.events.map((e) => Number(e.kv!.modRevision)), r.fragment]);

  test("under the limit, or a single event: sent whole", () => {
    expect(shape(fragments(resp([10, 10]), 1000))).toEqual([[[0, 1], false]]);
    expect(shape(fragments(resp([5000]), 1000))).toEqual([[[0], false]]);
  });

  test("over the limit: as many events per fragment as stay under it, at least one, the last fragment=false", () => {
    expect(shape(fragments(resp([300, 300, 300, 2000, 300]), 1000))).toEqual([
      [[0, 1, 2], true], [[3], true], [[4], false],
    ]);
  });
});
