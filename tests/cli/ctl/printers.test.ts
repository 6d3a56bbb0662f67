// Unit tests of the etcdctl output formats on synthetic responses (the e2e comparison covers real ones):
// Go encoding/json of protobuf structs, clientv3 wrapper JSON, simple/fields byte handling, protobuf bytes.
import { describe, expect, test } from "bun:test";
import { create, toBinary } from "@bufbuild/protobuf";
import {
  LeaseGrantResponseSchema, LeaseTimeToLiveResponseSchema, RangeResponseSchema, ResponseOpSchema, TxnResponseSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { Sink } from "../../../cli/ctl/io.ts";
import { newPrinter } from "../../../cli/ctl/printer/index.ts";

function capture(format: string, hex = false, everywhere = false) {
  const out: Uint8Array[] = [];
  const err: string[] = [];
  const enc = new TextEncoder();
  const sink: Sink = { out: (c) => out.push(typeof c === "string" ? enc.encode(c) : c), err: (c) => err.push(String(c)) };
  const p = newPrinter(format, hex, sink, everywhere)!;
  const text = () => Buffer.concat(out).toString("latin1");
  return { p, text, err };
}

const header = { clusterId: 18446744073709551615n, memberId: 2n, revision: 3n, raftTerm: 4n };
const kv = { key: new Uint8Array([0x6b, 0xff]), value: new TextEncoder().encode("<v>&"), createRevision: 2n, modRevision: 3n, version: 1n };
const range = create(RangeResponseSchema, { header, kvs: [kv], count: 1n });

describe("json", () => {
  test("protobuf structs: snake-case tags, omitempty, uint64 as numbers, base64 bytes", () => {
    const { p, text } = capture("json");
    p.get(range);
    expect(text()).toBe(
      '{"header":{"cluster_id":18446744073709551615,"member_id":2,"revision":3,"raft_term":4},"kvs":[{"key":"a/8=","create_revision":2,"mod_revision":3,"version":1,"value":"PHY+Jg=="}],"count":1}\n',
    );
  });
  test("a oneof is {Name:{Field:…}}", () => {
    const { p, text } = capture("json");
    p.txn(create(TxnResponseSchema, { succeeded: true, responses: [create(ResponseOpSchema, { response: { case: "responsePut", value: {} } })] }));
    expect(text()).toBe('{"succeeded":true,"responses":[{"Response":{"ResponsePut":{}}}]}\n');
  });
  test("clientv3 lease wrappers flatten the header and keep zero fields", () => {
    const { p, text } = capture("json");
    p.grant(create(LeaseGrantResponseSchema, { header, ID: 5n, TTL: 60n }));
    p.timeToLive(create(LeaseTimeToLiveResponseSchema, { ID: 5n, TTL: -1n }), false);
    expect(text()).toBe(
      '{"cluster_id":18446744073709551615,"member_id":2,"revision":3,"raft_term":4,"ID":5,"TTL":60,"Error":""}\n{"id":5,"ttl":-1,"granted-ttl":0,"keys":null}\n',
    );
  });
});

describe("simple and fields", () => {
  test("simple writes raw key bytes; --hex escapes every byte", () => {
    const raw = capture("simple");
    raw.p.get(range);
    expect(raw.text()).toBe("k\xff\n<v>&\n");
    const hex = capture("simple", true);
    hex.p.get(range);
    expect(hex.text()).toBe("\\x6b\\xff\n\\x3c\\x76\\x3e\\x26\n");
  });
  test("fields quotes byte strings as Go %q", () => {
    const { p, text } = capture("fields");
    p.get(range);
    expect(text()).toContain('"Key" : "k\\xff"\n');
    expect(text()).toContain('"ClusterID" : 18446744073709551615\n');
  });
});

describe("protobuf and unsupported formats", () => {
  test("protobuf is the marshaled response", () => {
    const { p, text } = capture("protobuf");
    p.get(range);
    expect(text()).toBe(Buffer.from(toBinary(RangeResponseSchema, range)).toString("latin1"));
  });
  test("table refuses key-value results as etcdctl does, unless bunetcd's extra is on", () => {
    expect(() => capture("table").p.get(range)).toThrow("table not supported as output format");
    const ext = capture("table", false, true);
    ext.p.get(range);
    expect(ext.text()).toContain("| KEY | VALUE |");
  });
  test("unknown formats have no printer", () => {
    expect(newPrinter("xml", false, { out() {}, err() {} }, false)).toBeUndefined();
  });
});
