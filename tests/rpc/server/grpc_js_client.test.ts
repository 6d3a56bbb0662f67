// @grpc/grpc-js — the gRPC client under Node etcd libraries such as `etcd3` — against RpcServer with the TEST-ONLY
// fakes: unary calls, etcd error status (code + exact details), and a bidi stream, with protobuf-es serializers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  KV,
  PutRequestSchema,
  PutResponseSchema,
  RangeRequestSchema,
  RangeResponseSchema,
  Watch,
  WatchRequestSchema,
  WatchResponseSchema,
  type PutResponse,
  type RangeResponse,
  type WatchResponse,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { createFakeKv } from "../fakes/fake_kv.ts";
import { createFakeWatch } from "../fakes/fake_watch.ts";
import { serve, type TestServer } from "../support/serve.ts";

function method<I extends DescMessage, O extends DescMessage>(path: string, input: I, output: O, stream: boolean) {
  return {
    path,
    requestStream: stream,
    responseStream: stream,
    requestSerialize: (m: MessageShape<I>) => Buffer.from(toBinary(input, m)),
    requestDeserialize: (b: Buffer) => fromBinary(input, b),
    responseSerialize: (m: MessageShape<O>) => Buffer.from(toBinary(output, m)),
    responseDeserialize: (b: Buffer) => fromBinary(output, b),
  };
}

const Client = grpc.makeGenericClientConstructor(
  {
    put: method("/etcdserverpb.KV/Put", PutRequestSchema, PutResponseSchema, false),
    range: method("/etcdserverpb.KV/Range", RangeRequestSchema, RangeResponseSchema, false),
    watch: method("/etcdserverpb.Watch/Watch", WatchRequestSchema, WatchResponseSchema, true),
  },
  "etcd",
);

let srv: TestServer;
let client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;
beforeAll(async () => {
  srv = await serve((s) => s.service(KV, createFakeKv({ maxRequestBytes: 100 }).impl).service(Watch, createFakeWatch().impl));
  client = new Client(new URL(srv.origin).host, grpc.credentials.createInsecure()) as typeof client;
});
afterAll(async () => {
  client.close();
  await srv.close();
});

const enc = (s: string) => new TextEncoder().encode(s);
function unary<T>(name: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[name](req, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res))));
}

describe("@grpc/grpc-js client", () => {
  test("unary put and range", async () => {
    const put = await unary<PutResponse>("put", create(PutRequestSchema, { key: enc("gk"), value: enc("gv") }));
    expect(put.header?.revision).toBeGreaterThan(1n);
    const got = await unary<RangeResponse>("range", create(RangeRequestSchema, { key: enc("gk") }));
    expect(new TextDecoder().decode(got.kvs[0].value)).toBe("gv");
  });

  test("an etcd error arrives as status code + exact details", async () => {
    const err = (await unary("put", create(PutRequestSchema, { key: enc("big"), value: new Uint8Array(200) })).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toBe("etcdserver: request is too large");
  });

  test("bidi watch stream: created response, then events", async () => {
    const call = client.watch() as grpc.ClientDuplexStream<unknown, WatchResponse>;
    const got: WatchResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on("data", (r: WatchResponse) => {
        got.push(r);
        if (got.length === 3) call.end();
      });
      call.on("end", resolve);
      call.on("error", reject);
    });
    call.write(create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: { key: enc("w"), startRevision: 2n } } }));
    await done;
    expect(got.map((r) => [r.created, r.events.length])).toEqual([[true, 0], [false, 1], [false, 1]]);
  });
});
