// TEST-ONLY fake of the etcd Watch service (bidi streaming), to exercise the gRPC streaming path; not the engine's
// watch. Each create request gets a `created` response with a new watch id, followed at once by `startRevision`
// synthetic PUT events on its key (so a test controls how many responses a request triggers); a cancel request
// gets a `canceled` response; a progress request gets a header-only response. The stream ends when the client
// half-closes. `log` records the generator's lifecycle so tests can check cleanup after a client cancel.
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { ResponseHeaderSchema, WatchResponseSchema, type Watch, type WatchResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EventSchema, KeyValueSchema } from "../../../rpc/gen/etcd/mvcc/mvccpb/kv_pb.ts";

export interface FakeWatch {
  impl: Partial<ServiceImpl<typeof Watch>>;
  log: string[];
}

export function createFakeWatch(): FakeWatch {
  const log: string[] = [];
  let nextId = 1n;
  const impl: Partial<ServiceImpl<typeof Watch>> = {
    async *watch(requests, ctx): AsyncGenerator<WatchResponse> {
      log.push("start");
      ctx.signal.addEventListener("abort", () => log.push("aborted"));
      try {
        for await (const req of requests) {
          const header = create(ResponseHeaderSchema, { revision: 100n });
          switch (req.requestUnion.case) {
            case "createRequest": {
              const c = req.requestUnion.value;
              const watchId = nextId++;
              yield create(WatchResponseSchema, { header, watchId, created: true });
              for (let i = 1n; i <= c.startRevision; i++) {
                yield create(WatchResponseSchema, {
                  header,
                  watchId,
                  events: [create(EventSchema, { kv: create(KeyValueSchema, { key: c.key, value: new TextEncoder().encode(`v${i}`), modRevision: i }) })],
                });
              }
              break;
            }
            case "cancelRequest":
              yield create(WatchResponseSchema, { header, watchId: req.requestUnion.value.watchId, canceled: true, cancelReason: "canceled by client" });
              break;
            case "progressRequest":
              yield create(WatchResponseSchema, { header, watchId: -1n });
              break;
          }
        }
        log.push("requests ended");
      } finally {
        log.push("finally");
      }
    },
  };
  return { impl, log };
}
