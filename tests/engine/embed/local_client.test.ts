// In-process clients (engine/embed/local_client.ts) against the real service code over a real member: results
// are full messages, errors are the services' ConnectErrors, and calls leave no listeners on the shutdown
// signal (unary calls share one context; streams unlink when they end or are aborted).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getEventListeners } from "node:events";
import { isMessage } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { KV, RangeResponseSchema, Watch } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { kvService } from "../../../rpc/services/kv.ts";
import { watchService } from "../../../rpc/services/watch.ts";
import { EtcdServer } from "../../../engine/server/etcd_server.ts";
import { localClient } from "../../../engine/embed/local_client.ts";
import { loggerFor } from "../../../engine/embed/log_option.ts";
import { serverConfig } from "../../../engine/embed/options.ts";
import { tempDirs } from "../../support/tmp.ts";

const dirs = tempDirs("bunetcd-local-client");
const enc = (s: string) => new TextEncoder().encode(s);
let server: EtcdServer;
const shutdown = new AbortController();
const listeners = () => getEventListeners(shutdown.signal, "abort").length;

beforeAll(async () => {
  server = await EtcdServer.start(serverConfig({ dir: dirs.make() }), loggerFor("silent"), () => undefined);
  await server.ready;
});
afterAll(async () => {
  shutdown.abort();
  await server.stop();
  dirs.cleanup();
});

describe("localClient", () => {
  test("unary calls: full response messages, the services' errors, no listeners left", async () => {
    const kv = localClient(KV, kvService(server), shutdown.signal);
    for (let i = 0; i < 200; i++) await kv.put({ key: enc(`k${i}`), value: enc("v") });
    const r = await kv.range({ key: enc("k1") });
    expect(isMessage(r, RangeResponseSchema)).toBe(true);
    expect(r.kvs.length).toBe(1);
    const err = await kv.range({ key: new Uint8Array(0) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).rawMessage).toBe("etcdserver: key is not provided");
    expect(listeners()).toBe(0);
  });

  test("streams: open while running, unlinked when the caller aborts, even if never read to the end", async () => {
    const watch = localClient(Watch, watchService(server), shutdown.signal);
    const calls = Array.from({ length: 20 }, () => {
      const caller = new AbortController();
      const requests = (async function* () {
        yield { requestUnion: { case: "createRequest" as const, value: { key: enc("w") } } };
        await new Promise(() => undefined); // keep the request side open
      })();
      const responses = watch.watch(requests, { signal: caller.signal })[Symbol.asyncIterator]();
      return { caller, responses };
    });
    for (const c of calls) expect((await c.responses.next()).value?.created).toBe(true);
    expect(listeners()).toBe(20);
    for (const c of calls) c.caller.abort();
    expect(listeners()).toBe(0);
  });
});
