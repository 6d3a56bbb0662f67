// The real etcdctl 3.4 `watch` against a real etcd and against the target (E2E_TARGET, default bunetcd): the
// same script on both — watchers on a key, a prefix, a range, with --prev-kv, --rev (past and next), -w json,
// --hex, a live one, `watch -i` (watch + progress), a compacted start and an empty range — each etcdctl killed
// at the end; stdout, stderr and exit codes (ids and terms masked) must be equal. Also POST /v3/watch (gateway).
import { describe, expect, test } from "bun:test";
import { mask } from "../support/etcdctl_compare.ts";
import { type Member, runEtcdctl } from "../support/etcd.ts";
import { refAndTarget } from "../support/pair.ts";

const SLOW = 60_000;
const WAIT_MS = 5_000;
const pair = refAndTarget("e2e-watch-");

/** A running `etcdctl watch`: its output so far, a wait for some text, stdin for -i, and stop (SIGTERM). */
function spawnWatch(endpoint: string, args: string[]) {
  const p = Bun.spawn(["etcdctl", `--endpoints=${endpoint}`, "watch", ...args], {
    stdin: "pipe", stdout: "pipe", stderr: "pipe", env: { ...process.env, ETCDCTL_API: "3" },
  });
  let out = "";
  let err = "";
  const read = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    const dec = new TextDecoder();
    for await (const chunk of s) add(dec.decode(chunk, { stream: true }));
  };
  const drained = Promise.all([read(p.stdout, (t) => (out += t)), read(p.stderr, (t) => (err += t))]);
  return {
    write: (line: string) => void p.stdin.write(`${line}\n`),
    async waitFor(text: string, ms = WAIT_MS): Promise<void> {
      const deadline = performance.now() + ms;
      while (!out.includes(text) && !err.includes(text) && p.exitCode === null && performance.now() < deadline) await Bun.sleep(20);
    },
    async stop() {
      if (p.exitCode === null) p.kill("SIGTERM");
      const code = await p.exited;
      await drained;
      return { code: p.exitCode === null ? code : p.exitCode, stdout: mask(out), stderr: mask(err) };
    },
  };
}
type WatchProc = ReturnType<typeof spawnWatch>;

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** Writes from revision 4 on; the last two writes are the markers every watcher waits for. */
const WRITES: { args: string[]; stdin?: string }[] = [
  { args: ["put", "k", "1"] }, { args: ["put", "p/a", "1"] }, { args: ["put", "p/b", "2"] }, { args: ["del", "k"] },
  { args: ["put", "k", "2"] }, { args: ["txn"], stdin: "\nput k 3\nput p/c 3\n\n\n" }, { args: ["del", "--prefix", "p/"] },
  { args: ["put", "k", "end"] }, { args: ["put", "p/end", "end"] },
];

const WATCHERS: Record<string, { args: string[]; marker: string }> = {
  key: { args: ["k", "--rev", "4"], marker: "end" },
  prefix: { args: ["--prefix", "p/", "--rev", "4"], marker: "p/end" },
  prevKv: { args: ["k", "--prev-kv", "--rev", "4"], marker: "end" },
  range: { args: ["k", "p/b", "--rev", "4"], marker: "end" },
  past: { args: ["k", "--rev", "2"], marker: "end" },
  json: { args: ["--prefix", "p/", "--rev", "4", "-w", "json"], marker: b64("p/end") },
  hex: { args: ["k", "--rev", "4", "--hex"], marker: "\\x65\\x6e\\x64" },
  live: { args: ["k"], marker: "end" },
};

async function scenario(m: Member): Promise<Record<string, unknown>> {
  const ctl = (args: string[], stdin?: string) => runEtcdctl(m.endpoint, args, stdin);
  await ctl(["put", "k", "0"]); // rev 2
  await ctl(["put", "p/a", "0"]); // rev 3
  const procs: Record<string, WatchProc> = {};
  for (const [name, w] of Object.entries(WATCHERS)) procs[name] = spawnWatch(m.endpoint, w.args);
  await Bun.sleep(1000); // the live watcher (no --rev) must be in place before the writes
  const writes = [];
  for (const w of WRITES) writes.push(await ctl(w.args, w.stdin));
  const r: Record<string, unknown> = { writes: writes.map((w) => mask(w.stdout)) };
  for (const [name, w] of Object.entries(WATCHERS)) {
    await procs[name]!.waitFor(w.marker);
    r[name] = await procs[name]!.stop();
  }
  return r;
}

async function interactive(m: Member): Promise<unknown> {
  const w = spawnWatch(m.endpoint, ["-i"]);
  w.write("watch k --rev 4");
  await w.waitFor("end");
  w.write("progress");
  await w.waitFor("progress notify");
  w.write("watch --prefix p/ --rev 11 --prev-kv");
  await w.waitFor("p/end");
  w.write("bogus");
  await w.waitFor("Invalid command");
  return w.stop();
}

async function failures(m: Member): Promise<unknown> {
  await runEtcdctl(m.endpoint, ["compact", "8"]);
  const compacted = spawnWatch(m.endpoint, ["k", "--rev", "3"]);
  await compacted.waitFor("canceled");
  const empty = spawnWatch(m.endpoint, ["b", "a"]);
  await empty.waitFor("canceled");
  return { compacted: await compacted.stop(), empty: await empty.stop() };
}

/** POST /v3/watch (grpc-gateway): the first `lines` JSON lines of the stream, cluster ids and terms masked. */
async function gateway(m: Member, lines = 3): Promise<string[]> {
  const abort = new AbortController();
  const body = JSON.stringify({ create_request: { key: b64("g"), prev_kv: true } });
  const res = await fetch(`${m.endpoint}/v3/watch`, { method: "POST", body, signal: abort.signal });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = "";
  try {
    text += dec.decode((await reader.read()).value, { stream: true }); // created
    await runEtcdctl(m.endpoint, ["put", "g", "1"]);
    await runEtcdctl(m.endpoint, ["put", "g", "2"]);
    while (text.split("\n").length <= lines) text += dec.decode((await reader.read()).value, { stream: true });
  } finally {
    abort.abort();
  }
  return [String(res.status), ...text.split("\n").slice(0, lines).map((l) => l.replace(/"(cluster_id|member_id|raft_term)":"\d+"/g, '"$1":"<masked>"'))];
}

/** Runs `scenario` on both members; `check` guards the reference's own result against a vacuous comparison. */
async function expectSame<T>(scenario: (m: Member) => Promise<T>, check: (want: T) => void) {
  const { ref, sut } = pair.both();
  const [want, got] = await Promise.all([scenario(ref), scenario(sut)]);
  if (process.env.E2E_VERBOSE) console.log(JSON.stringify(want, null, 1));
  check(want);
  expect(got).toEqual(want);
}

// The tests share the two servers and run in order: revisions in later ones follow from the earlier writes.
describe(`etcdctl watch: etcd vs ${pair.name}`, () => {
  test("watchers on keys, prefixes, ranges, --prev-kv, --rev, json and hex see the same events", () =>
    expectSame(scenario, (want) => expect((want.key as { stdout: string }).stdout).toBe("PUT\nk\n1\nDELETE\nk\n\nPUT\nk\n2\nPUT\nk\n3\nPUT\nk\nend\n")), SLOW);

  test("watch -i: watch, progress, a bad command", () =>
    expectSame(interactive, (want) => expect((want as { stdout: string }).stdout).toContain("progress notify: 12")), SLOW);

  test("POST /v3/watch on the JSON gateway streams the same lines", () =>
    expectSame(gateway, (want) => expect(want[1]).toContain('"created":true')), SLOW);

  test("a compacted start revision and an empty range are cancelled as etcd cancels them", () =>
    expectSame(failures, (want) => expect(JSON.stringify(want)).toContain("required revision has been compacted")), SLOW);
});
