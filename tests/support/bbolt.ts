// Test support: drive the REAL bbolt (Go) to check / read / write files, so the
// tests can prove that engine/backend speaks bbolt's on-disk format.
//
// The Go helper (tests/support/bbolt-helper/main.go) is built once, in GOPATH
// mode against Debian's golang-github-coreos-bbolt-dev (see .ci/install-debs.sh),
// and cached under node_modules/.cache/bbolt-helper/<hash of main.go>/.
//
//   const h = await bboltHelper();
//   if ("skipped" in h) ...            // go or bbolt source missing
//   await bboltWrite(file, { txs: [[["createBucket", [hex("b")]]]] });
//   const d = await bboltDump(file);   // decoded: Uint8Array keys/values
//   expect((await bboltCheck(file)).ok).toBe(true);

import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

// ------------------------------------------------------------------ types

/** Lower-case hex of a byte string. */
export type Hex = string;

/** One operation of a write tx. Paths are bucket names from the root, in hex. */
export type BboltOp =
  | ["createBucket", Hex[]]
  | ["deleteBucket", Hex[]]
  | ["put", Hex[], Hex, Hex]
  | ["delete", Hex[], Hex]
  | ["setSequence", Hex[], number];

export interface BboltWriteSpec {
  /** Page size for a NEW file (ignored by bbolt when the file exists). Default: OS page size. */
  pageSize?: number;
  /** Bucket.FillPercent applied to every (non-root) bucket touched. bbolt default 0.5. */
  fillPercent?: number;
  /** Each inner list is one db.Update (one committed tx). */
  txs: BboltOp[][];
}

export interface BboltCheckResult {
  ok: boolean;
  errors: string[];
}

/** Raw meta page fields, read straight from pages 0 and 1 by the helper. */
export interface BboltMeta {
  magic: number;
  version: number;
  pageSize: number;
  flags: number;
  root: number;
  sequence: number;
  freelist: number;
  pgid: number;
  txid: number;
  /** the stored checksum as 16 hex digits (big-endian print of the u64) */
  checksum: string;
  checksumOk: boolean;
}

/** A bucket as the helper prints it (hex strings). */
export interface BboltBucketJson {
  root: number; // 0 = inline bucket
  sequence: number;
  kv: [Hex, Hex][];
  buckets: Record<Hex, BboltBucketJson>;
}

export interface BboltDumpJson {
  pageSize: number;
  txid: number;
  meta: BboltMeta[];
  freelist: number[];
  kv: [Hex, Hex][];
  buckets: Record<Hex, BboltBucketJson>;
}

/** A bucket, decoded. Sub-buckets are sorted by name in bbolt (byte) order. */
export interface BboltBucket {
  name: Uint8Array;
  root: number; // 0 = inline bucket
  sequence: number;
  /** key/value pairs in cursor (byte) order; sub-bucket entries are not included */
  kv: [Uint8Array, Uint8Array][];
  buckets: BboltBucket[];
}

export interface BboltDump {
  pageSize: number;
  txid: number;
  meta: BboltMeta[];
  /** page ids on the active freelist page (free + pending at commit) */
  freelist: number[];
  /** non-bucket keys of the root bucket (bbolt's API never makes any) */
  kv: [Uint8Array, Uint8Array][];
  buckets: BboltBucket[];
  /** the undecoded JSON */
  raw: BboltDumpJson;
}

/** bbolt.BucketStats; for a bucket it INCLUDES all of its nested sub-buckets. */
export interface BboltBucketStats {
  BranchPageN: number;
  BranchOverflowN: number;
  LeafPageN: number;
  LeafOverflowN: number;
  KeyN: number;
  Depth: number;
  BranchAlloc: number;
  BranchInuse: number;
  LeafAlloc: number;
  LeafInuse: number;
  BucketN: number;
  InlineBucketN: number;
  InlineBucketInuse: number;
}

export interface BboltBucketStatsNode {
  stats: BboltBucketStats;
  buckets: Record<Hex, BboltBucketStatsNode>;
}

export interface BboltStats {
  pageSize: number;
  txid: number;
  buckets: Record<Hex, BboltBucketStatsNode>;
}

// ------------------------------------------------------------------ hex helpers

export function bytesToHex(b: Uint8Array): Hex {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

export function hexToBytes(h: Hex): Uint8Array {
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new Error(`bad hex: ${h.slice(0, 40)}`);
  return new Uint8Array(Buffer.from(h, "hex"));
}

/** Hex of a UTF-8 string or of bytes: handy for building write specs. */
export function hex(v: string | Uint8Array): Hex {
  return typeof v === "string" ? Buffer.from(v, "utf8").toString("hex") : bytesToHex(v);
}

/** bbolt's key order (bytes.Compare), on hex strings. */
export function compareHex(a: Hex, b: Hex): number {
  return Buffer.compare(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

// ------------------------------------------------------------------ building the helper

const REPO_ROOT = resolve(import.meta.dir, "../..");
const HELPER_SRC_DIR = join(import.meta.dir, "bbolt-helper");
const HELPER_MAIN = join(HELPER_SRC_DIR, "main.go");
const CACHE_DIR = join(REPO_ROOT, "node_modules", ".cache", "bbolt-helper");
/** Where Debian's golang-*-dev packages put Go source (GOPATH layout). */
const DEBIAN_GOPATH = process.env.BBOLT_GOPATH ?? "/usr/share/gocode";
const BBOLT_SRC = join(DEBIAN_GOPATH, "src", "go.etcd.io", "bbolt", "db.go");

export type BboltHelper = { path: string } | { skipped: string };

let helperPromise: Promise<BboltHelper> | undefined;

function findGo(): string | null {
  const w = Bun.which("go");
  if (w) return w;
  for (const p of ["/usr/lib/go/bin/go", "/usr/local/go/bin/go"]) if (existsSync(p)) return p;
  return null;
}

async function buildHelper(): Promise<BboltHelper> {
  if (!existsSync(HELPER_MAIN)) return { skipped: `bbolt helper source missing: ${HELPER_MAIN}` };
  const source = await Bun.file(HELPER_MAIN).arrayBuffer();
  const key = new Bun.CryptoHasher("sha256").update(source).digest("hex").slice(0, 16);
  const dir = join(CACHE_DIR, key);
  const bin = join(dir, "bbolt-helper");
  if (existsSync(bin)) return { path: bin };

  const go = findGo();
  if (!go) return { skipped: "bbolt interop: `go` not found (run .ci/install-debs.sh: apt-get install golang-go)" };
  if (!existsSync(BBOLT_SRC)) {
    return {
      skipped: `bbolt interop: bbolt Go source not found at ${BBOLT_SRC} (run .ci/install-debs.sh: apt-get install golang-github-coreos-bbolt-dev)`,
    };
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}-${Date.now()}`;
  const gopath = join(CACHE_DIR, "gopath");
  mkdirSync(gopath, { recursive: true });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GO111MODULE: "off",
    GOPATH: `${gopath}:${DEBIAN_GOPATH}`,
    GOPROXY: "off",
    GOFLAGS: "",
    GOCACHE: join(CACHE_DIR, "gocache"),
    CGO_ENABLED: "0",
  };
  const proc = Bun.spawn([go, "build", "-o", tmp, "main.go"], {
    cwd: HELPER_SRC_DIR,
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) {
    rmSync(tmp, { force: true });
    // A compile error in our own helper is a bug, not a missing dependency: fail loudly.
    throw new Error(`building bbolt-helper failed (exit ${code}):\n${out}${err}`);
  }
  renameSync(tmp, bin); // atomic: concurrent test files may build at once
  return { path: bin };
}

/** Build (once, cached on disk by hash of main.go) and locate the helper binary. */
export function bboltHelper(): Promise<BboltHelper> {
  helperPromise ??= buildHelper();
  return helperPromise;
}

async function helperPath(): Promise<string> {
  const h = await bboltHelper();
  if ("skipped" in h) throw new Error(h.skipped);
  return h.path;
}

async function run(cmd: string, file: string, stdin?: string): Promise<unknown> {
  const bin = await helperPath();
  const proc = Bun.spawn([bin, cmd, file], {
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`bbolt-helper ${cmd} ${file} failed (exit ${code}): ${err.trim() || out.trim()}`);
  try {
    return JSON.parse(out);
  } catch {
    throw new Error(`bbolt-helper ${cmd} ${file}: bad JSON output: ${out.slice(0, 500)} ${err}`);
  }
}

// ------------------------------------------------------------------ commands

/** bbolt's tx.Check() in a read-only tx. Throws only if bbolt cannot open the file at all. */
export async function bboltCheck(file: string): Promise<BboltCheckResult> {
  return (await run("check", file)) as BboltCheckResult;
}

function decodeBucket(name: Hex, b: BboltBucketJson): BboltBucket {
  return {
    name: hexToBytes(name),
    root: b.root,
    sequence: b.sequence,
    kv: b.kv.map(([k, v]) => [hexToBytes(k), hexToBytes(v)]),
    buckets: Object.keys(b.buckets)
      .sort(compareHex)
      .map((n) => decodeBucket(n, b.buckets[n]!)),
  };
}

/** Whole content of a bbolt file, read by bbolt itself (read-only open). */
export async function bboltDump(file: string): Promise<BboltDump> {
  const raw = (await run("dump", file)) as BboltDumpJson;
  return {
    pageSize: raw.pageSize,
    txid: raw.txid,
    meta: raw.meta,
    freelist: raw.freelist,
    kv: raw.kv.map(([k, v]) => [hexToBytes(k), hexToBytes(v)]),
    buckets: Object.keys(raw.buckets)
      .sort(compareHex)
      .map((n) => decodeBucket(n, raw.buckets[n]!)),
    raw,
  };
}

/** Create/update a bbolt file with the real bbolt: each spec.txs[i] is one db.Update. */
export async function bboltWrite(file: string, spec: BboltWriteSpec): Promise<void> {
  await run("write", file, JSON.stringify(spec));
}

/** bbolt's Bucket.Stats() for every bucket (each includes its sub-buckets). */
export async function bboltStats(file: string): Promise<BboltStats> {
  return (await run("stats", file)) as BboltStats;
}

// ------------------------------------------------------------------ dump conversions

/** One key/value: bucket path from the root, key, value. */
export interface BboltEntry {
  path: Uint8Array[];
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * Every key/value of the dump as a flat list sorted by (path, key) in byte order.
 * Buckets themselves do not appear (use bucketPaths for those).
 */
export function flattenDump(d: BboltDump): BboltEntry[] {
  const out: BboltEntry[] = [];
  for (const [key, value] of d.kv) out.push({ path: [], key, value });
  const walk = (b: BboltBucket, path: Uint8Array[]): void => {
    const p = [...path, b.name];
    for (const [key, value] of b.kv) out.push({ path: p, key, value });
    for (const c of b.buckets) walk(c, p);
  };
  for (const b of d.buckets) walk(b, []);
  // hex chars sort like bytes; "/" (0x2f) sorts below every hex digit so a shorter name comes first.
  const keyed = out.map((e) => [[...e.path.map(bytesToHex), bytesToHex(e.key)].join("/"), e] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, e]) => e);
}

/** All bucket paths (hex names joined by "/"), sorted. */
export function bucketPaths(d: BboltDump): string[] {
  const out: string[] = [];
  const walk = (b: BboltBucket, prefix: string): void => {
    const p = prefix ? `${prefix}/${bytesToHex(b.name)}` : bytesToHex(b.name);
    out.push(p);
    for (const c of b.buckets) walk(c, p);
  };
  for (const b of d.buckets) walk(b, "");
  return out.sort();
}

/** A nested-Map view: name(hex) -> { kv: Map<keyHex, valueHex>, buckets: Map<...> }. */
export interface BucketMap {
  kv: Map<Hex, Hex>;
  buckets: Map<Hex, BucketMap>;
}

export function dumpToMap(d: BboltDump): BucketMap {
  const conv = (kv: [Uint8Array, Uint8Array][], buckets: BboltBucket[]): BucketMap => ({
    kv: new Map(kv.map(([k, v]) => [bytesToHex(k), bytesToHex(v)])),
    buckets: new Map(buckets.map((b) => [bytesToHex(b.name), conv(b.kv, b.buckets)])),
  });
  return conv(d.kv, d.buckets);
}

/**
 * Replay a write spec in memory and return the expected final content as a BucketMap
 * (same shape as dumpToMap), to compare against a dump of the file.
 */
export function expectedFromSpec(spec: BboltWriteSpec): BucketMap {
  const root: BucketMap = { kv: new Map(), buckets: new Map() };
  const at = (path: Hex[]): BucketMap => {
    let b = root;
    for (const p of path) {
      const n = b.buckets.get(p.toLowerCase());
      if (!n) throw new Error(`expectedFromSpec: no bucket ${path.join("/")}`);
      b = n;
    }
    return b;
  };
  for (const tx of spec.txs) {
    for (const op of tx) {
      switch (op[0]) {
        case "createBucket": {
          const parent = at(op[1].slice(0, -1));
          parent.buckets.set(op[1][op[1].length - 1]!.toLowerCase(), { kv: new Map(), buckets: new Map() });
          break;
        }
        case "deleteBucket":
          at(op[1].slice(0, -1)).buckets.delete(op[1][op[1].length - 1]!.toLowerCase());
          break;
        case "put":
          at(op[1]).kv.set(op[2].toLowerCase(), op[3].toLowerCase());
          break;
        case "delete":
          at(op[1]).kv.delete(op[2].toLowerCase());
          break;
        case "setSequence":
          break;
      }
    }
  }
  return root;
}
