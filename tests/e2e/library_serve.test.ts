// serve(): the full server in this process — port 0 resolves to the bound port in `url`, the real etcdctl
// talks to it, close() frees the port and the directory, a held directory is refused. Then the Etcd contract
// (tests/rpc/client/contract.ts) through browser-style transports passed to connect() as `transport`:
// Connect protocol over HTTP/1.1 and gRPC-web over HTTP/1.1 (what @connectrpc/connect-web does over fetch),
// which run watch and lease keep-alive half duplex.
import { afterAll, expect, test } from "bun:test";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import type { Transport } from "@connectrpc/connect";
import { serve } from "../../cli/server/serve_in_process.ts";
import { open } from "../../engine/embed/open.ts";
import { connect } from "../../rpc/client/connect.ts";
import { runEtcdctl } from "../support/etcd.ts";
import { tempDirs } from "../support/tmp.ts";
import { etcdContract } from "../rpc/client/contract.ts";

const dirs = tempDirs("bunetcd-library-serve");
afterAll(() => dirs.cleanup());

test("serve() on port 0: the url carries the bound port; etcdctl reads and writes; close() frees port and directory", async () => {
  const dir = dirs.make();
  const lines: string[] = [];
  const s = await serve({ dir, listen: "127.0.0.1:0", log: (l) => lines.push(l) });
  let closed = false;
  try {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(s.url).port).not.toBe("0");
    expect(s.urls).toEqual([s.url]);
    expect(lines.some((l) => l.includes("ready to serve client requests"))).toBe(true);
    expect((await runEtcdctl(s.url, ["put", "served", "yes"])).stdout).toBe("OK\n");
    expect((await runEtcdctl(s.url, ["get", "served", "--print-value-only"])).stdout).toBe("yes\n");
    // the member advertises the bound port, not ":0"
    expect((await runEtcdctl(s.url, ["member", "list"])).stdout).toContain(s.url);
    const status = await runEtcdctl(s.url, ["endpoint", "status", "-w", "json"]);
    expect(JSON.parse(status.stdout)[0].Status.version).toMatch(/^3\.4\./);
    // The directory is held: a second server or an embedded open is refused.
    await expect(serve({ dir, listen: "127.0.0.1:0", log: "silent" })).rejects.toThrow(/is in use by another bunetcd or etcd/);
    await expect(open({ dir })).rejects.toThrow(/is in use/);
    await s.close();
    closed = true;
    expect((await runEtcdctl(s.url, ["get", "served", "--dial-timeout=1s", "--command-timeout=2s"])).code).not.toBe(0);
    const db = await open({ dir });
    expect(new TextDecoder().decode((await db.get("served"))?.value)).toBe("yes");
    await db.close();
  } finally {
    if (!closed) await s.close();
  }
});

test("serve() reports bad options and busy ports as errors", async () => {
  await expect(serve({ dir: dirs.make(), listen: "example.com:2379", log: "silent" })).rejects.toThrow(/expected IP in URL for binding/);
  const a = await serve({ dir: dirs.make(), listen: "127.0.0.1:0", log: "silent" });
  try {
    await expect(serve({ dir: dirs.make(), listen: a.url, log: "silent" })).rejects.toThrow(/listen/);
  } finally {
    await a.close();
  }
});

function browserStyle(make: (url: string) => Transport) {
  return async () => {
    const s = await serve({ dir: dirs.make(), listen: "127.0.0.1:0", log: "silent" });
    const db = await connect({ transport: make(s.url) });
    return {
      db,
      async stop() {
        await db.close();
        await s.close();
      },
    };
  };
}

etcdContract("connect({ transport }) Connect/HTTP 1.1 → serve()", browserStyle((baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" })));
etcdContract("connect({ transport }) gRPC-web/HTTP 1.1 → serve()", browserStyle((baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })));
