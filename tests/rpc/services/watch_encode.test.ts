// The Watch fast path's hand encoder must give toBinary's bytes for any WatchResponse (seeded random ones:
// every field set or not, negative watch ids, events shared between responses), and eventToWire must hand
// every watcher of an mvcc event the same wire Event.
import { expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { ResponseHeaderSchema, WatchResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { encodeWatchResponse, eventToWire, frameMvccWatchResponse } from "../../../rpc/services/watch_encode.ts";
import { FRAME_HEADER_BYTES } from "../../../rpc/grpc/framing.ts";
import { watchResponseToWire } from "../../../rpc/services/watch_wire.ts";
import type { MvccEvent } from "../../../engine/mvcc/event.ts";
import { Rng, testSeed } from "../../support/random.ts";

const seed = testSeed();

test(`encodeWatchResponse equals toBinary (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const big = () => [0n, 1n, 300n, 2n ** 40n, 2n ** 63n - 1n][rng.int(5)];
  const bytes = (n: number) => Uint8Array.from({ length: rng.int(n + 1) }, () => rng.int(256));
  const kv = () => ({ key: bytes(20), value: bytes(300), createRevision: rng.int(1000), modRevision: rng.int(1000), version: rng.int(10), lease: rng.int(2) ? big() : 0n });
  const events: MvccEvent[] = Array.from({ length: 20 }, () => ({ type: rng.int(2) as 0 | 1, kv: kv(), prevKv: rng.int(2) ? kv() : undefined }));
  for (let i = 0; i < 1000; i++) {
    const msg = create(WatchResponseSchema, {
      header: rng.int(4) ? create(ResponseHeaderSchema, { clusterId: big(), memberId: big(), revision: big(), raftTerm: big() }) : undefined,
      watchId: [0n, 1n, 7n, -1n, 2n ** 40n][rng.int(5)],
      created: rng.int(2) === 1,
      canceled: rng.int(2) === 1,
      compactRevision: rng.int(2) ? big() : 0n,
      cancelReason: rng.int(3) ? "" : "mvcc: required revision has been compacted ✓",
      fragment: rng.int(2) === 1,
      events: Array.from({ length: rng.int(5) }, () => eventToWire(events[rng.int(events.length)]!)),
    });
    expect(Buffer.from(encodeWatchResponse(msg)).toString("hex")).toBe(Buffer.from(toBinary(WatchResponseSchema, msg)).toString("hex"));
  }
});

test(`frameMvccWatchResponse equals toBinary of watchResponseToWire (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  const big = () => [0n, 1n, 300n, 2n ** 40n, 2n ** 63n - 1n][rng.int(5)];
  const num = () => [0, 1, 127, 128, 300, 2 ** 31, 2 ** 40][rng.int(7)];
  const bytes = (n: number) => Uint8Array.from({ length: rng.int(n + 1) }, () => rng.int(256));
  const kv = () => ({ key: bytes(20), value: bytes(300), createRevision: num(), modRevision: num(), version: rng.int(10), lease: rng.int(2) ? big() : 0n });
  const pool: MvccEvent[] = Array.from({ length: 20 }, () => ({ type: rng.int(2) as 0 | 1, kv: kv(), prevKv: rng.int(2) ? kv() : undefined }));
  let shared: MvccEvent[] = [];
  let buffer = new Uint8Array(0);
  let at = 0;
  const frames = {
    reserve(size: number) {
      buffer = new Uint8Array(FRAME_HEADER_BYTES + size);
      at = FRAME_HEADER_BYTES;
      return at;
    },
    get buffer() {
      return buffer;
    },
    full: undefined,
  };
  for (let i = 0; i < 1000; i++) {
    if (rng.int(3) === 0) shared = Array.from({ length: rng.int(4) }, () => pool[rng.int(pool.length)]!); // one list for many
    const events = rng.int(2) ? shared : shared.slice(); // the same events in a list of its own
    const r = { watchId: num(), events, revision: num(), compactRevision: rng.int(3) ? 0 : num() };
    const header = create(ResponseHeaderSchema, { clusterId: big(), memberId: big(), revision: BigInt(r.revision), raftTerm: big() });
    const want = Buffer.from(toBinary(WatchResponseSchema, watchResponseToWire(r, header))).toString("hex");
    frameMvccWatchResponse(frames, r, header);
    expect(Buffer.from(buffer.subarray(at)).toString("hex")).toBe(want);
  }
});

test("eventToWire gives one shared wire Event per mvcc event", () => {
  const ev: MvccEvent = { type: 0, kv: { key: new Uint8Array([1]), value: new Uint8Array([2]), createRevision: 1, modRevision: 1, version: 1, lease: 0n } };
  expect(eventToWire(ev)).toBe(eventToWire(ev));
  expect(eventToWire({ ...ev })).not.toBe(eventToWire(ev));
});

test("watchResponseToWire builds the same message create() would", () => {
  const ev: MvccEvent = { type: 1, kv: { key: new Uint8Array([7]), value: new Uint8Array(0), createRevision: 0, modRevision: 9, version: 0, lease: 0n } };
  const header = create(ResponseHeaderSchema, { clusterId: 1n, memberId: 2n, revision: 9n, raftTerm: 3n });
  for (const compactRevision of [0, 5]) {
    const got = watchResponseToWire({ watchId: 4, events: [ev], revision: 9, compactRevision }, header);
    const want = create(WatchResponseSchema, { header, watchId: 4n, events: [eventToWire(ev)], compactRevision: BigInt(compactRevision), canceled: compactRevision !== 0 });
    expect(got).toEqual(want);
  }
});
