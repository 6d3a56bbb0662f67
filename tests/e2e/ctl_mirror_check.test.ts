// `make-mirror` and `check perf` of bunetcd's etcdctl against the real etcdctl 3.4 on real etcd servers.
// make-mirror: one source, two destinations (one per tool) with --prefix/--dest-prefix; a base snapshot plus
// puts, deletes and a multi-op txn must land identically, and at 30 s both print the same running count.
// check perf --load small runs 60 s in etcdctl and cannot honestly be shortened: both tools run it once, at
// the same time (separate prefixes on one etcd), started first so that it overlaps the mirror test; the
// output shapes (progress bar segments, verdict lines) must match etcdctl's. check datascale --load small
// (10000 puts, a few seconds) runs once per tool afterwards.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Member, startEtcd } from "../support/etcd.ts";
import { tempDirs } from "../support/tmp.ts";
import type { Watched } from "../cli/ctl/concurrency/spawn.ts";
import { runTool, spawnTool, TOOLS, type Tool } from "../cli/ctl/concurrency/tools.ts";

const dirs = tempDirs("bunetcd-mirror-check");
let src: Member;
let perfEtcd: Member;
const dst = {} as Record<Tool, Member>;
const started: Watched[] = [];
const perf = {} as Record<Tool, Watched>;

async function spawn(tool: Tool, endpoint: string, args: string[]): Promise<Watched> {
  const w = await spawnTool(tool, endpoint, args);
  started.push(w);
  return w;
}

beforeAll(async () => {
  [src, perfEtcd, dst.bunetcd, dst.etcdctl] = await Promise.all(["src", "perf", "dst-bunetcd", "dst-etcdctl"].map((n) => startEtcd(dirs.make(n))));
  for (const tool of TOOLS) perf[tool] = await spawn(tool, perfEtcd.endpoint, ["check", "perf", "--load", "small", "--prefix", `/perf-${tool}/`]);
});
afterAll(async () => {
  for (const w of started) w.kill();
  await Promise.all([src, perfEtcd, dst.bunetcd, dst.etcdctl].map((m) => m?.stop()));
  dirs.cleanup();
});

async function dump(m: Member): Promise<string> {
  return (await m.etcdctl(["get", "", "--prefix", "-w", "fields"])).stdout
    .split("\n")
    .filter((l) => l.startsWith('"Key"') || l.startsWith('"Value"'))
    .join("\n");
}

describe("make-mirror", () => {
  test("base snapshot then puts, deletes and txns reach the destination as with etcdctl; the 30 s count matches", async () => {
    for (const [k, v] of [["/m/a", "1"], ["/m/b", "2"], ["/other", "x"], ["/m/sub/c", "3"]]) await src.etcdctl(["put", k!, v!]);
    const t0 = performance.now();
    const mirrors = await Promise.all(
      TOOLS.map((tool) => spawn(tool, src.endpoint, ["make-mirror", "--prefix", "/m/", "--dest-prefix", "/n/", dst[tool].endpoint])),
    );
    await Bun.sleep(1000);
    await src.etcdctl(["put", "/m/d", "4"]);
    await src.etcdctl(["del", "/m/a"]);
    await src.etcdctl(["put", "/other2", "y"]);
    expect((await src.etcdctl(["txn"], "\nput /m/t1 x\nput /m/t2 y\ndel /m/b\n\n\n")).stdout).toStartWith("SUCCESS");
    await src.etcdctl(["put", "/m/d", "5"]);
    const want = ['"Key" : "/n/d"', '"Value" : "5"', '"Key" : "/n/sub/c"', '"Value" : "3"', '"Key" : "/n/t1"', '"Value" : "x"', '"Key" : "/n/t2"', '"Value" : "y"'].join("\n");
    for (let i = 0; i < 100 && ((await dump(dst.bunetcd)) !== want || (await dump(dst.etcdctl)) !== want); i++) await Bun.sleep(100);
    expect(await dump(dst.bunetcd)).toBe(want);
    expect(await dump(dst.etcdctl)).toBe(want);
    // 3 base keys + 6 changes (2 puts, 1 delete, the txn's 3 ops)
    await Bun.sleep(Math.max(0, t0 + 31_000 - performance.now()));
    for (const m of mirrors) {
      expect(m.stdout()).toBe("9\n");
      expect(await m.end("SIGTERM")).not.toBe(0);
    }
  }, 60_000);

  test("argument errors match etcdctl", async () => {
    for (const args of [["make-mirror"], ["make-mirror", "--dest-prefix", "x", "--no-dest-prefix", dst.etcdctl.endpoint]]) {
      const want = await runTool("etcdctl", src.endpoint, args);
      const got = await runTool("bunetcd", src.endpoint, args);
      expect([got.code, got.stderr]).toEqual([want.code, want.stderr]);
      expect(want.code).toBe(128);
    }
  });
});

const barOf = (total: number) => new RegExp(` \\d+ \\/ ${total} +\\d+\\.\\d\\d%(?: (?:\\d\\dm\\d\\ds|\\d+m\\d+s|\\d+s))?`);
const BAR = barOf(60);
const VERDICT = [
  /^(PASS: Throughput is|FAIL: Throughput too low:) \d+ writes\/s$/,
  /^(PASS: Slowest request took|Slowest request took too long:) \d+\.\d{6}s$/,
  /^(PASS: Stddev is|Stddev too high:) \d+\.\d{6}s$/,
  /^(PASS|FAIL)$/,
];

/** Checks etcdctl's check-perf output shape; returns the verdict lines. */
function checkPerfShape(out: string): string[] {
  const segments = out.split("\r");
  expect(segments[0]).toBe("");
  for (const s of segments.slice(1, -1)) expect(s).toMatch(new RegExp(`^${BAR.source}$`));
  const last = segments.at(-1)!;
  const bar = last.match(new RegExp(`^${BAR.source}\\n?`));
  expect(bar).not.toBeNull();
  const lines = last.slice(bar![0].length).split("\n");
  expect(lines.pop()).toBe("");
  while (lines[0]?.startsWith("FAIL: too many errors") || lines[0]?.startsWith("FAIL: ERROR(")) lines.shift();
  expect(lines).toHaveLength(VERDICT.length);
  lines.forEach((l, i) => expect(l).toMatch(VERDICT[i]!));
  return lines;
}

describe("check perf", () => {
  test("--load small: same output shape as etcdctl (runs 60 s, started before the mirror test)", async () => {
    for (const tool of TOOLS) {
      const code = await perf[tool].exited;
      const lines = checkPerfShape(perf[tool].stdout());
      expect(code).toBe(lines.at(-1) === "PASS" ? 0 : 1);
      expect(perf[tool].stderr()).toBe("");
    }
    expect((await perfEtcd.etcdctl(["get", "--prefix", "/perf-", "--keys-only"])).stdout).toBe("");
  }, 120_000);

  test("a prefix that holds keys is refused as etcdctl refuses it; unknown load", async () => {
    await perfEtcd.etcdctl(["put", "/busy/k", "v"]);
    for (const args of [["check", "perf", "--prefix", "/busy/"], ["check", "perf", "--load", "huge"]]) {
      const want = await runTool("etcdctl", perfEtcd.endpoint, args);
      const got = await runTool("bunetcd", perfEtcd.endpoint, args);
      expect([got.code, got.stdout, got.stderr]).toEqual([want.code, want.stdout, want.stderr]);
      expect(want.code).not.toBe(0);
    }
  });
});

describe("check datascale", () => {
  test("--load small: same output shape as etcdctl", async () => {
    const bar = barOf(10000).source;
    for (const tool of TOOLS) {
      const r = await runTool(tool, perfEtcd.endpoint, ["check", "datascale", "--load", "small"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      const [head, ...segments] = r.stdout.split("\r");
      expect(head).toBe("Start data scale check for work load [10000 key-value pairs, 1024 bytes per key-value, 50 concurrent clients].\n");
      for (const s of segments.slice(0, -1)) expect(s).toMatch(new RegExp(`^${bar}$`));
      expect(segments.at(-1)).toMatch(new RegExp(`^ 10000 / 10000  100\\.00% (?:\\d+m)?\\d+s\\nPASS: Approximate system memory used : -?\\d+\\.\\d\\d MB\\.\\n$`));
    }
    expect((await perfEtcd.etcdctl(["get", "--prefix", "/etcdctl-check-datascale/", "--keys-only"])).stdout).toBe("");
  }, 60_000);
});
