// `import { open, serve, connect } from "bunetcd"` from another project: a scratch project that depends on this
// repository through a file: path (node_modules/bunetcd is a link to it, as npm installs a file: directory)
// runs the three entry points with Bun, and type-checks against the package's "types" with tsc. A browser
// bundle of the entry loads none of the server side (node:*, bun:*, connect-node) until open()/serve() run;
// a Node bundle's connect() talks to serve().
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../support/tmp.ts";
import { serve } from "../../cli/server/serve_in_process.ts";

const repo = join(import.meta.dir, "../..");
const dirs = tempDirs("bunetcd-library-package");
afterAll(() => dirs.cleanup());

const PROGRAM = `
import { open, serve, connect, EtcdError, type Etcd, type KeyValue, type WatchEvent } from "bunetcd";

async function roundTrip(db: Etcd, key: string): Promise<string> {
  const w = db.watch(key);
  await w.ready;
  const seen = (async (): Promise<WatchEvent | undefined> => {
    for await (const ev of w) return ev;
    return undefined;
  })();
  await db.put(key, "value of " + key);
  const kv: KeyValue | undefined = await db.get(key);
  const ev = await seen;
  return new TextDecoder().decode(kv!.value) + " / " + ev!.type;
}

const base = process.argv[2]!;
const embedded = await open({ dir: base + "/embedded", log: "silent" });
const a = await roundTrip(embedded, "embedded");
await embedded.close();
const server = await serve({ dir: base + "/served", listen: "127.0.0.1:0", log: "silent" });
const remote = await connect(server.url);
const b = await roundTrip(remote, "remote");
const missing = await remote.lease.revoke(1n).catch((e: unknown) => (e instanceof EtcdError ? e.code : "other"));
await remote.close();
await server.close();
console.log(JSON.stringify({ a, b, missing }));
`;

function scratchProject(): string {
  const dir = dirs.make();
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module", dependencies: { bunetcd: `file:${repo}` } }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(repo, join(dir, "node_modules", "bunetcd"), "dir");
  symlinkSync(join(repo, "node_modules", "bun-types"), join(dir, "node_modules", "bun-types"), "dir");
  writeFileSync(join(dir, "main.ts"), PROGRAM);
  // A deliberate mistake: tsc must see the package's types to report it.
  writeFileSync(join(dir, "wrong.ts"), `import { connect } from "bunetcd";\nconst db = await connect("127.0.0.1:2379");\nexport const n: number = await db.get("k");\n`);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ESNext", module: "ESNext", moduleResolution: "bundler", lib: ["ESNext"], types: ["bun-types"], strict: true,
        skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true,
      },
      files: ["main.ts", "wrong.ts"],
    }),
  );
  return dir;
}

test("a project depending on bunetcd by file: path imports open, serve and connect", async () => {
  const dir = scratchProject();
  const run = Bun.spawn([process.execPath, "main.ts", dirs.make()], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(JSON.parse(out)).toEqual({ a: "value of embedded / put", b: "value of remote / put", missing: "NotFound" });
}, 60_000);

test("the package's types check in that project (tsc)", async () => {
  const dir = scratchProject();
  const tsc = Bun.spawn([join(repo, "node_modules/.bin/tsc"), "-p", "."], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  const [out] = await Promise.all([new Response(tsc.stdout).text(), tsc.exited]);
  // Only the scratch program's own diagnostics count here (the repository type-checks itself).
  expect(out.split("\n").filter((l) => l.startsWith("main.ts"))).toEqual([]);
  expect(out).toContain("wrong.ts(3,14): error TS2322: Type 'KeyValue | undefined' is not assignable to type 'number'.");
}, 120_000);

test("a browser bundle of the entry imports nothing server-side statically (connect() with a web transport)", async () => {
  const outdir = dirs.make();
  const server = ["bun:*", "node:*", "@connectrpc/connect-node"];
  const r = await Bun.build({ entrypoints: [join(repo, "rpc/library.ts")], target: "browser", splitting: true, outdir, external: server, throw: false });
  expect(r.logs.map(String)).toEqual([]);
  const entry = r.outputs.find((o) => o.kind === "entry-point")!.path;
  // Follow the static imports from the entry chunk; dynamic import() chunks load only when called.
  const staticImports = (file: string) => [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*"([^"]+)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const external: string[] = [];
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith("./")) walk(join(outdir, spec));
      else external.push(spec);
    }
  };
  walk(entry);
  expect(external).toEqual([]);
  expect(seen.size).toBeGreaterThan(1);
  expect(readFileSync(entry, "utf8")).toContain("import(");
});

test.skipIf(Bun.which("node") === null)("connect() in Node (the entry bundled for Node) against serve()", async () => {
  const outdir = dirs.make();
  const r = await Bun.build({ entrypoints: [join(repo, "rpc/library.ts")], target: "node", splitting: true, outdir, external: ["bun:*"], throw: false });
  expect(r.logs.map(String)).toEqual([]);
  writeFileSync(
    join(outdir, "run.mjs"),
    `import { connect } from "./library.js";
const db = await connect(process.argv[2]);
const w = db.watch("node/k");
await w.ready;
const seen = (async () => { for await (const ev of w) return ev.type + " " + ev.kv.version; })();
await db.put("node/k", "from node");
const lease = await db.lease.grant(60);
const ka = await db.lease.keepAlive(lease.id);
ka.close();
console.log(JSON.stringify({ value: new TextDecoder().decode((await db.get("node/k")).value), event: await seen, ttl: ka.ttl }));
await db.close();
`,
  );
  await using s = await serve({ dir: dirs.make(), listen: "127.0.0.1:0", log: "silent" });
  const node = Bun.spawn(["node", join(outdir, "run.mjs"), s.url], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(node.stdout).text(), new Response(node.stderr).text(), node.exited]);
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(JSON.parse(out)).toEqual({ value: "from node", event: "put 1", ttl: 60 });
}, 60_000);
