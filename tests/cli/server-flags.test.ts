// etcd's command line, compared with the real etcd 3.4: for each rejected command line (and environment),
// bunetcd exits with etcd's code and prints etcd's message. Valid lines parse into the expected config.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, readConfig } from "../../cli/server/config.ts";

const root = join(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "bunetcd-flags-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The message line of an error: the first stderr line that is not usage, without capnslog's prefix. */
function message(stderr: string): string {
  const line = stderr.split("\n").find((l) => l && !l.startsWith("[WARNING]") && !l.startsWith("Usage") && !l.startsWith(" ")) ?? "";
  return line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [A-Z] \| [\w/]+: /, "");
}

async function run(cmd: string[], env: Record<string, string> = {}) {
  // Every case below is rejected before anything listens; the timeout only guards against a mistake.
  const p = Bun.spawn(cmd, { cwd: dir, stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH!, ...env } });
  const timer = setTimeout(() => p.kill(), 10_000);
  const [stderr, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  return { code, message: message(stderr) };
}

const CASES: { args: string[]; env?: Record<string, string> }[] = [
  { args: ["--foo"] },
  { args: ["---x"] },
  { args: ["--snapshot-count", "abc"] },
  { args: ["--max-request-bytes=-1"] },
  { args: ["--debug=maybe"] },
  { args: ["--name"] },
  { args: ["--initial-cluster-state", "bogus"] },
  { args: ["extra"] },
  { args: ["--listen-client-urls", "http://foo:2379", "--advertise-client-urls", "http://foo:2379"] },
  { args: ["--heartbeat-interval", "300"] },
  { args: ["--election-timeout", "60000"] },
  { args: ["--listen-client-urls", "http://127.0.0.1:23790"] },
  { args: ["--listen-client-urls", "http://127.0.0.1", "--advertise-client-urls", "http://127.0.0.1:1"] },
  { args: ["--listen-client-urls", "ftp://127.0.0.1:1"] },
  { args: ["--listen-client-urls", "http://127.0.0.1:1/path", "--advertise-client-urls", "http://127.0.0.1:1"] },
  { args: ["--auto-compaction-mode=foo"] },
  { args: ["--backend-batch-interval", "soon"] },
  { args: [], env: { ETCD_SNAPSHOT_COUNT: "abc" } },
  { args: [], env: { ETCD_HEARTBEAT_INTERVAL: "500" } },
];

const haveEtcd = existsSync("/usr/bin/etcd");
if (!haveEtcd) console.warn("[SKIP] flag comparison with real etcd: etcd (Debian etcd-server) is not installed");

describe.skipIf(!haveEtcd)("rejected command lines: same exit code and message as etcd 3.4", () => {
  for (const c of CASES) {
    const label = [...Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${v}`), ...c.args].join(" ") || "(none)";
    test(label, async () => {
      const dataDir = ["--data-dir", join(dir, "data")];
      const theirs = await run(["etcd", ...dataDir, ...c.args], c.env);
      const ours = await run([process.execPath, join(root, "cli/main.ts"), ...dataDir, ...c.args], c.env);
      expect(theirs.code).not.toBe(0);
      expect(ours).toEqual(theirs);
    }, 30_000);
  }
});

test("a valid command line, environment and config file become the expected configuration", () => {
  const cfg = loadConfig(
    ["--name", "n1", "--listen-client-urls=http://127.0.0.1:2479,http://127.0.0.1:2479", "--advertise-client-urls", "http://127.0.0.1:2479", "--debug"],
    { ETCD_SNAPSHOT_COUNT: "500", ETCD_NAME: "shadowed", ETCD_NOPE: "1" },
  );
  expect(cfg.name).toBe("n1");
  expect(cfg.dataDir).toBe("n1.etcd");
  expect(cfg.listenClientUrls).toEqual(["http://127.0.0.1:2479"]);
  expect(cfg.snapshotCount).toBe(500);
  expect(cfg.logLevel).toBe("debug");
  expect(cfg.maxRequestBytes).toBe(1572864);
  expect(cfg.notes).toContain("recognized and used environment variable ETCD_SNAPSHOT_COUNT=500");
  expect(cfg.notes).toContain("recognized environment variable ETCD_NAME, but unused: shadowed by corresponding flag");
  expect(cfg.notes).toContain("unrecognized environment variable ETCD_NOPE=1");

  const file = join(dir, "etcd.yaml");
  writeFileSync(file, "name: fromfile\ndata-dir: /tmp/x\nsnapshot-count: 42\nlisten-client-urls: http://127.0.0.1:3379\nadvertise-client-urls: http://127.0.0.1:3379\nclient-transport-security:\n  cert-file: /c.pem\n  client-cert-auth: true\n");
  // With a config file, other flags and environment variables are ignored (etcd's rule).
  const fromFile = readConfig(["--config-file", file, "--name", "ignored"], { ETCD_MAX_TXN_OPS: "1" });
  expect(fromFile.name).toBe("fromfile");
  expect(fromFile.dataDir).toBe("/tmp/x");
  expect(fromFile.snapshotCount).toBe(42);
  expect(fromFile.maxTxnOps).toBe(128);
  expect(fromFile.clientTls).toEqual({ certFile: "/c.pem", keyFile: "", trustedCaFile: "", clientCertAuth: true });
});

test("a TLS configuration passes flag validation, as in etcd (its checks run when the listeners start: tests/e2e/tls.test.ts)", () => {
  const https = ["--listen-client-urls", "https://127.0.0.1:2379", "--advertise-client-urls", "https://127.0.0.1:2379"];
  const cfg = loadConfig([...https, "--cert-file", "/c.pem", "--key-file", "/k.pem", "--client-cert-auth", "--trusted-ca-file", "/ca.pem"], {});
  expect(cfg.clientTls).toEqual({ certFile: "/c.pem", keyFile: "/k.pem", trustedCaFile: "/ca.pem", clientCertAuth: true });
  expect(cfg.listenClientUrls).toEqual(["https://127.0.0.1:2379"]);
  // an https:// URL without certificates is etcd's start-up error, not a flag error
  expect(() => loadConfig(https, {})).not.toThrow();
});

test("security settings bunetcd cannot honour yet are refused, not ignored", () => {
  for (const args of [["--client-crl-file", "/crl.pem"], ["--cipher-suites", "TLS_AES_128_GCM_SHA256"], ["--client-cert-allowed-hostname", "x"], ["--auto-tls"]]) {
    expect(() => loadConfig(args, {})).toThrow("refusing to start rather than ignore a security setting");
  }
});
