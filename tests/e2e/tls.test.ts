// Client-port TLS end to end, bunetcd (dist/bunetcd) beside the real etcd 3.4 started the same way: https://
// listen/advertise URLs with --cert-file/--key-file serve the real etcdctl given --cacert; with --client-cert-auth
// and --trusted-ca-file etcdctl fails without --cert/--key (same exit code, same "context deadline exceeded") and
// succeeds with them, and both log the rejected handshake; the JSON gateway and /health answer over HTTPS;
// bunetcd also serves Connect over HTTP/1.1 TLS. Bad TLS configurations exit 1 with etcd's message.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bunetcdCommand, startBunetcd } from "../support/bunetcd.ts";
import { type Member, type MemberOptions, runEtcdctl, startEtcd } from "../support/etcd.ts";
import { freePort } from "../support/ports.ts";
import { haveOpenssl, makeTestPki, type TestPki } from "../support/tls_certs.ts";
import { tempDirs } from "../support/tmp.ts";

const haveEtcd = existsSync("/usr/bin/etcd") && Bun.which("etcdctl") !== null;
if (!haveEtcd || !haveOpenssl) console.warn("[SKIP] e2e TLS: needs etcd, etcdctl (Debian etcd-server/etcd-client) and openssl");

/** The part of a Range response (JSON gateway or Connect JSON) the checks read. */
type RangeJson = { kvs: { value: string }[] };

const dirs = tempDirs("bunetcd-e2e-tls-");
let pki: TestPki;
beforeAll(() => {
  if (haveOpenssl) pki = makeTestPki(dirs.make("pki"));
});
afterAll(() => dirs.cleanup());

type Start = (dir: string, args: string[], opts: MemberOptions) => Promise<Member>;
const SERVERS: [string, Start][] = [
  ["etcd", startEtcd],
  ["bunetcd", startBunetcd],
];

const FAST_FAIL = ["--dial-timeout=1s", "--command-timeout=2s"];
const serverCert = () => ["--cert-file", pki.serverCertFile, "--key-file", pki.serverKeyFile];
const clientCert = () => ["--cert", pki.clientCertFile, "--key", pki.clientKeyFile];

/** Runs both servers with the same flags and etcdctl options, hands them to `body`, stops both. */
async function withBoth(args: () => string[], ctl: () => string[], body: (m: Member, name: string) => Promise<void>): Promise<void> {
  const started = await Promise.allSettled(SERVERS.map(([name, start]) => start(dirs.make(name), args(), { tls: { etcdctlArgs: ctl() } })));
  try {
    for (const s of started) if (s.status === "rejected") throw s.reason;
    await Promise.all(started.map((s, i) => body((s as PromiseFulfilledResult<Member>).value, SERVERS[i]![0])));
  } finally {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
  }
}

describe.skipIf(!haveEtcd || !haveOpenssl)("server certificate on an https:// client URL", () => {
  test("etcdctl --cacert puts and gets; without the CA it fails like etcd; gateway, /health and Connect answer over HTTPS", async () => {
    await withBoth(serverCert, () => ["--cacert", pki.caFile], async (m, name) => {
      expect(m.endpoint).toStartWith("https://");
      expect((await m.etcdctl(["put", "k", "v"])).stdout).toBe("OK\n");
      expect((await m.etcdctl(["get", "k", "--print-value-only"])).stdout).toBe("v\n");
      // grpc-go sends a URL-shaped :authority for these (the rewriting path, over TLS too)
      expect({ name, status: (await m.etcdctl(["endpoint", "status"])).code }).toEqual({ name, status: 0 });
      expect({ name, hashkv: (await m.etcdctl(["endpoint", "hashkv"])).code }).toEqual({ name, hashkv: 0 });
      const untrusted = await runEtcdctl(m.endpoint, [...FAST_FAIL, "get", "k"]);
      expect({ name, code: untrusted.code }).toEqual({ name, code: 1 });
      expect(untrusted.stderr).toContain("Error: context deadline exceeded");
      expect(m.logTail()).toContain("serving client requests on 127.0.0.1:");
      expect(m.logTail()).not.toContain("serving insecure client requests");
      const tls = { ca: readFileSync(pki.caFile, "utf8") };
      expect(await (await fetch(`${m.endpoint}/health`, { tls })).json()).toEqual({ health: "true" });
      const range = await fetch(`${m.endpoint}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key: btoa("k") }), tls });
      expect(((await range.json()) as RangeJson).kvs[0]!.value).toBe(btoa("v"));
      if (name === "bunetcd") {
        const headers = { "content-type": "application/json" };
        const connect = await fetch(`${m.endpoint}/etcdserverpb.KV/Range`, { method: "POST", headers, body: JSON.stringify({ key: btoa("k") }), tls });
        expect(((await connect.json()) as RangeJson).kvs[0]!.value).toBe(btoa("v"));
      }
    });
  }, 60_000);
});

describe.skipIf(!haveEtcd || !haveOpenssl)("--client-cert-auth with --trusted-ca-file", () => {
  test("etcdctl without a client certificate fails like etcd and is logged as rejected; with --cert/--key it succeeds", async () => {
    const args = () => [...serverCert(), "--client-cert-auth", "--trusted-ca-file", pki.caFile];
    await withBoth(args, () => ["--cacert", pki.caFile, ...clientCert()], async (m, name) => {
      expect((await m.etcdctl(["put", "k", "v"])).stdout).toBe("OK\n");
      expect((await m.etcdctl(["get", "k", "--print-value-only"])).stdout).toBe("v\n");
      const noCert = await runEtcdctl(m.endpoint, ["--cacert", pki.caFile, ...FAST_FAIL, "get", "k"]);
      expect({ name, code: noCert.code }).toEqual({ name, code: 1 });
      expect(noCert.stderr).toContain("Error: context deadline exceeded");
      expect(m.logTail()).toMatch(/embed: rejected connection from "127\.0\.0\.1:\d+" \(error "tls: client didn't provide a certificate", ServerName ""\)/);
      expect(m.logTail()).toContain(`embed: ClientTLS: cert = ${pki.serverCertFile}, key = ${pki.serverKeyFile}, trusted-ca = ${pki.caFile}, client-cert-auth = true, crl-file = `);
      const tls = { ca: readFileSync(pki.caFile, "utf8") };
      await expect(fetch(`${m.endpoint}/health`, { tls })).rejects.toThrow();
      const withCert = { ...tls, cert: readFileSync(pki.clientCertFile, "utf8"), key: readFileSync(pki.clientKeyFile, "utf8") };
      expect(await (await fetch(`${m.endpoint}/health`, { tls: withCert })).json()).toEqual({ health: "true" });
    });
  }, 60_000);

  test("--trusted-ca-file alone also requires a client certificate (etcd 3.4)", async () => {
    const args = () => [...serverCert(), "--trusted-ca-file", pki.caFile];
    await withBoth(args, () => ["--cacert", pki.caFile, ...clientCert()], async (m, name) => {
      const noCert = await runEtcdctl(m.endpoint, ["--cacert", pki.caFile, ...FAST_FAIL, "get", "k"]);
      expect({ name, code: noCert.code }).toEqual({ name, code: 1 });
    });
  }, 60_000);
});

/** Runs a server command line that should exit by itself; resolves to its exit code and its etcdmain error line. */
async function runToExit(command: string[], args: string[]): Promise<{ code: number | null; message: string; log: string }> {
  const peer = `http://127.0.0.1:${await freePort()}`;
  const p = Bun.spawn([...command, "--data-dir", dirs.make("fail"), "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", `default=${peer}`, ...args], { stdout: "ignore", stderr: "pipe" });
  const timer = setTimeout(() => p.kill("SIGKILL"), 20_000);
  const [log, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  const line = log.split("\n").find((l) => / [CE] \| etcdmain: /.test(l)) ?? "";
  return { code, message: line.replace(/^.* [CE] \| etcdmain: /, ""), log };
}

describe.skipIf(!haveEtcd || !haveOpenssl)("TLS configurations etcd refuses: exit 1 with etcd's message", () => {
  const cases: [string, (url: string) => string[]][] = [
    ["https URL without --cert-file/--key-file", (u) => ["--listen-client-urls", u, "--advertise-client-urls", u, "--trusted-ca-file", pki.caFile]],
    ["--cert-file without --key-file", (u) => ["--listen-client-urls", u, "--advertise-client-urls", u, "--cert-file", pki.serverCertFile]],
    ["a missing certificate file", (u) => ["--listen-client-urls", u, "--advertise-client-urls", u, "--cert-file", join(pki.caFile, "../nope.crt"), "--key-file", pki.serverKeyFile]],
  ];
  for (const [label, args] of cases) {
    test(label, async () => {
      const [etcd, ours] = await Promise.all([
        (async () => runToExit(["etcd"], args(`https://127.0.0.1:${await freePort()}`)))(),
        (async () => runToExit(await bunetcdCommand(), args(`https://127.0.0.1:${await freePort()}`)))(),
      ]);
      expect(etcd.code).toBe(1);
      expect({ code: ours.code, message: ours.message.replace(/:\d+/, ":PORT") }).toEqual({ code: 1, message: etcd.message.replace(/:\d+/, ":PORT") });
    }, 30_000);
  }

  test("certificates with an http:// URL are ignored with etcd's warnings; the port stays plain", async () => {
    const args = [...serverCert(), "--client-cert-auth"];
    const started = await Promise.allSettled(SERVERS.map(([name, start]) => start(dirs.make(name), args, {})));
    try {
      for (const s of started) if (s.status === "rejected") throw s.reason;
      for (const s of started) {
        const m = (s as PromiseFulfilledResult<Member>).value;
        expect((await m.etcdctl(["put", "k", "v"])).code).toBe(0);
        expect(m.logTail()).toContain(`embed: The scheme of client url ${m.endpoint} is HTTP while peer key/cert files are presented. Ignored key/cert files.`);
        expect(m.logTail()).toContain(`embed: The scheme of client url ${m.endpoint} is HTTP while client cert auth (--client-cert-auth) is enabled. Ignored client cert auth for this url.`);
        expect(m.logTail()).toContain(`serving insecure client requests on ${m.endpoint.slice("http://".length)}, this is strongly discouraged!`);
      }
    } finally {
      await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    }
  }, 60_000);
});
