// End to end: clients that send a URL-shaped `:authority` (grpc-go puts its dial target there) are served.
// The real etcdctl 3.4's `endpoint status` and `endpoint hashkv` dial "passthrough:///http://127.0.0.1:PORT" and
// send that as the authority, which Bun's HTTP/2 server alone refuses with RST_STREAM PROTOCOL_ERROR; node's
// HTTP/2 client sends many authorities on one connection (Huffman and raw, indexed, never-indexed, enough to
// evict dynamic table entries), and each request must arrive with its own headers intact.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { join } from "node:path";
import { HashKVResponseSchema, Maintenance, ResponseHeaderSchema, StatusResponseSchema } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { sendText } from "../../../rpc/http/routes.ts";
import { acceptedAuthority } from "../../../rpc/server/authority_form.ts";
import { runEtcdctl } from "../../support/etcd.ts";
import { serve, type TestServer } from "../support/serve.ts";

/** TEST-ONLY Maintenance answering Status and HashKV with fixed values. */
const header = () => create(ResponseHeaderSchema, { clusterId: 0x1234n, memberId: 0x5678n, revision: 42n, raftTerm: 2n });
const fakeMaintenance = {
  status: () => create(StatusResponseSchema, { header: header(), version: "3.4.23", dbSize: 20480n, leader: 0x5678n, raftIndex: 50n, raftTerm: 2n, raftAppliedIndex: 50n, dbSizeInUse: 16384n }),
  hashKV: () => create(HashKVResponseSchema, { header: header(), hash: 3_000_000_001, compactRevision: 7n }),
};

let ours: TestServer;
let port: number;

beforeAll(async () => {
  ours = await serve((s) =>
    s.service(Maintenance, fakeMaintenance).route("/echo", (ex) => sendText(ex, 200, `${ex.authority}|${ex.header.get("x-marker")}`)),
  );
  port = Number(new URL(ours.origin).port);
});

afterAll(() => ours?.close());

const ctl = (args: string[]) => runEtcdctl(ours.origin, [...args, "--command-timeout=5s"]);

describe("etcdctl commands that send the endpoint URL as :authority", () => {
  test("endpoint status -w json", async () => {
    const r = await ctl(["endpoint", "status", "-w", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [ep] = JSON.parse(r.stdout);
    expect(ep.Endpoint).toBe(ours.origin);
    expect(ep.Status).toMatchObject({ header: { cluster_id: 0x1234, member_id: 0x5678, revision: 42, raft_term: 2 }, version: "3.4.23", dbSize: 20480, leader: 0x5678, raftIndex: 50, raftTerm: 2, dbSizeInUse: 16384 });
  }, 20_000);

  test("endpoint hashkv -w json", async () => {
    const r = await ctl(["endpoint", "hashkv", "-w", "json"]);
    expect(r.code).toBe(0);
    const [ep] = JSON.parse(r.stdout);
    expect(ep.Endpoint).toBe(ours.origin);
    expect(ep.HashKV).toMatchObject({ header: { revision: 42 }, hash: 3_000_000_001, compact_revision: 7 });
  }, 20_000);
});

interface ClientRequest {
  authority: string;
  marker: string;
  sensitive?: boolean;
}

async function nodeClient(requests: ClientRequest[]): Promise<{ marker: string; status?: number; body?: string; error?: string }[]> {
  const p = Bun.spawn(["node", join(import.meta.dir, "support", "authority_client.mjs"), ours.origin, JSON.stringify(requests)], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`node client failed (${code}): ${err}`);
  return JSON.parse(out);
}

describe("node's HTTP/2 client, many authorities on one connection", () => {
  test("URL-shaped, plain, repeated, raw and never-indexed authorities all arrive with their own headers", async () => {
    const url = `http://127.0.0.1:${port}`;
    const kinds = [url, `passthrough:///${url}`, `127.0.0.1:${port}`, `http://{{{{{{{{~~~~:${port}`];
    const requests: ClientRequest[] = [];
    const add = (authority: string, sensitive = false) => requests.push({ authority, marker: `m${requests.length}`, sensitive });
    for (const a of kinds) add(a);
    for (const a of kinds) add(a); // indexed reuse of the entries just made
    add(url, true);
    for (let i = 0; i < 80; i++) add(`http://host-${i}.example.test:${port}`); // ~90 octets each: evicts the first ones
    for (const a of kinds) add(a);
    add(`http://host-79.example.test:${port}`); // still in the table

    const results = await nodeClient(requests);
    expect(results.length).toBe(requests.length);
    for (const [i, r] of results.entries()) {
      const sent = requests[i]!.authority;
      expect({ marker: r.marker, status: r.status, body: r.body }).toEqual({ marker: `m${i}`, status: 200, body: `${acceptedAuthority(sent) ?? sent}|m${i}` });
    }
    expect(results[0]!.body).toBe(`127.0.0.1:0000000${port}|m0`);
  }, 20_000);
});
