// RpcServer on https:// URLs: every protocol the cleartext port speaks also works over TLS (gRPC, Connect and
// gRPC-web over h2 by ALPN, Connect and plain routes over http/1.1 by ALPN, a client offering no ALPN sniffed by
// its first bytes); with requestClientCert a client without a certificate, or with one from another CA, never gets
// a response and the failed handshake is reported; tls options are ignored on http:// URLs.
// Certificates are made at test time with openssl (tests/support/tls_certs.ts).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { connect as tlsConnect } from "node:tls";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { KV } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { RpcServer, type TlsHandshakeError } from "../../../rpc/server/rpc_server.ts";
import { createFakeKv } from "../fakes/fake_kv.ts";
import { haveOpenssl, makeTestPki, type TestPki } from "../../support/tls_certs.ts";
import { tempDirs } from "../../support/tmp.ts";

/** The part of a Range response (JSON gateway or Connect JSON) the checks read. */
type RangeJson = { kvs: { value: string }[] };

const dirs = tempDirs("bunetcd-tls-");
let pki: TestPki;
const pem = (f: string) => readFileSync(f);
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

if (!haveOpenssl) console.warn("[SKIP] TLS tests: openssl is not installed");

beforeAll(() => {
  if (haveOpenssl) pki = makeTestPki(dirs.make("pki"));
});
afterAll(() => dirs.cleanup());

function newServer(onTlsHandshakeError?: (e: TlsHandshakeError) => void): RpcServer {
  return new RpcServer({ closeGraceMs: 100, health: () => ({ health: "true" }) as never, onTlsHandshakeError }).service(KV, createFakeKv().impl);
}

/** A raw TLS request with the given ALPN offer (none: the sniffer decides); resolves to the response text and the negotiated protocol. */
function rawHttp1(port: number, alpn: string[] | undefined, request: string): Promise<{ text: string; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: "127.0.0.1", port, ca: pem(pki.caFile), ALPNProtocols: alpn, servername: "localhost" }, () => s.write(request));
    let text = "";
    s.on("data", (d) => (text += d.toString()));
    s.on("end", () => resolve({ text, alpn: s.alpnProtocol ?? false }));
    s.on("error", reject);
  });
}

describe.skipIf(!haveOpenssl)("RpcServer over TLS", () => {
  let srv: RpcServer;
  let origin: string;
  beforeAll(async () => {
    srv = newServer();
    origin = (await srv.listen("https://127.0.0.1:0", { cert: pem(pki.serverCertFile), key: pem(pki.serverKeyFile) })).origin;
  });
  afterAll(() => srv.close());

  const transports: Record<string, (baseUrl: string) => Transport> = {
    "gRPC / h2": (baseUrl) => createGrpcTransport({ baseUrl, nodeOptions: { ca: pem(pki.caFile) } }),
    "connect / h2": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2", nodeOptions: { ca: pem(pki.caFile) } }),
    "connect / http/1.1": (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { ca: pem(pki.caFile) } }),
    "gRPC-web / http/1.1": (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { ca: pem(pki.caFile) } }),
  };
  for (const [name, make] of Object.entries(transports)) {
    test(`${name}: put then range`, async () => {
      const kv = createClient(KV, make(origin));
      await kv.put({ key: enc(name), value: enc("v") });
      const got = await kv.range({ key: enc(name) });
      expect(got.kvs.map((k) => dec(k.value))).toEqual(["v"]);
    }, 10_000);
  }

  test("fetch (HTTP/1.1) with the CA: Connect JSON and /health", async () => {
    const tls = { ca: pem(pki.caFile).toString() };
    const put = await fetch(`${origin}/etcdserverpb.KV/Put`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key: btoa("f"), value: btoa("1") }), tls });
    expect(put.status).toBe(200);
    const range = await fetch(`${origin}/etcdserverpb.KV/Range`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key: btoa("f") }), tls });
    expect(((await range.json()) as RangeJson).kvs[0]!.value).toBe(btoa("1"));
    expect(await (await fetch(`${origin}/health`, { tls })).json()).toEqual({ health: "true" });
  }, 10_000);

  test("ALPN http/1.1 and no ALPN at all both reach the HTTP/1.1 server", async () => {
    const port = Number(new URL(origin).port);
    const req = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    const viaAlpn = await rawHttp1(port, ["http/1.1"], req);
    expect(viaAlpn.alpn).toBe("http/1.1");
    expect(viaAlpn.text).toStartWith("HTTP/1.1 200");
    const sniffed = await rawHttp1(port, undefined, req);
    expect(sniffed.alpn).toBe(false);
    expect(sniffed.text).toStartWith("HTTP/1.1 200");
  }, 10_000);

  test("a client that does not trust the server's CA fails", async () => {
    await expect(fetch(`${origin}/health`, { tls: { ca: pem(pki.otherCaFile).toString() } })).rejects.toThrow();
  }, 10_000);
});

describe.skipIf(!haveOpenssl)("RpcServer over TLS with client certificates required", () => {
  let srv: RpcServer;
  let origin: string;
  const rejected: TlsHandshakeError[] = [];
  beforeAll(async () => {
    srv = newServer((e) => rejected.push(e));
    const tls = { cert: pem(pki.serverCertFile), key: pem(pki.serverKeyFile), ca: pem(pki.caFile), requestClientCert: true };
    origin = (await srv.listen("https://127.0.0.1:0", tls)).origin;
  });
  afterAll(() => srv.close());

  test("with a client certificate from the CA: gRPC and Connect succeed", async () => {
    const nodeOptions = { ca: pem(pki.caFile), cert: pem(pki.clientCertFile), key: pem(pki.clientKeyFile) };
    await createClient(KV, createGrpcTransport({ baseUrl: origin, nodeOptions })).put({ key: enc("c"), value: enc("1") });
    const got = await createClient(KV, createConnectTransport({ baseUrl: origin, httpVersion: "1.1", nodeOptions })).range({ key: enc("c") });
    expect(got.kvs.length).toBe(1);
  }, 10_000);

  test("without a client certificate: no response, and the handshake failure is reported in Go's words", async () => {
    rejected.length = 0;
    await expect(fetch(`${origin}/health`, { tls: { ca: pem(pki.caFile).toString() } })).rejects.toThrow();
    for (let i = 0; i < 50 && rejected.length === 0; i++) await Bun.sleep(10);
    expect(rejected[0]?.message).toBe("tls: client didn't provide a certificate");
    expect(rejected[0]?.remote).toMatch(/^127\.0\.0\.1:\d+$/);
  }, 10_000);

  test("with a client certificate the CA did not sign: refused", async () => {
    const other = dirs.make("other");
    const foreign = makeTestPki(other); // same names, different CA
    const tls = { ca: pem(pki.caFile).toString(), cert: pem(foreign.clientCertFile).toString(), key: pem(foreign.clientKeyFile).toString() };
    rejected.length = 0;
    await expect(fetch(`${origin}/health`, { tls })).rejects.toThrow();
    for (let i = 0; i < 50 && rejected.length === 0; i++) await Bun.sleep(10);
    expect(rejected[0]?.message).toBe("tls: failed to verify client certificate: x509: certificate signed by unknown authority");
  }, 20_000);
});

test.skipIf(!haveOpenssl)("tls options on an http:// URL are ignored: the port stays cleartext", async () => {
  const srv = newServer();
  try {
    const { origin } = await srv.listen("http://127.0.0.1:0", { cert: pem(pki.serverCertFile), key: pem(pki.serverKeyFile), requestClientCert: true });
    expect(origin).toStartWith("http://");
    expect(await (await fetch(`${origin}/health`)).json()).toEqual({ health: "true" });
  } finally {
    await srv.close();
  }
}, 10_000);

test.skipIf(!haveOpenssl)("close() does not wait for a client stuck before its TLS handshake", async () => {
  const srv = newServer();
  const { port } = await srv.listen("https://127.0.0.1:0", { cert: pem(pki.serverCertFile), key: pem(pki.serverKeyFile) });
  const idle = await Bun.connect({ hostname: "127.0.0.1", port: Number(port), socket: { data() {} } }); // sends nothing
  await Bun.sleep(20);
  const t0 = performance.now();
  await srv.close();
  expect(performance.now() - t0).toBeLessThan(2_000);
  idle.end();
}, 10_000);
