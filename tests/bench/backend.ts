// `bun run bench backend`: the same work on bunetcd's backend, bun:sqlite (WAL, synchronous=FULL) and lmdb,
// each with one durable sync per commit: insert N sequential 8-byte big-endian keys with 256-byte values,
// 1,000 per transaction (fill percent 0.9 for ours); N random point reads; one full ordered scan; the file
// size. Prints a table with the ratios against bunetcd. `--n=100000` for a quicker run.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync, statSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open as openLmdb } from "lmdb";
import { DB } from "../../engine/backend/db.ts";
import { fmt, printTable } from "./table.ts";
import { Rng } from "../support/random.ts";

interface Engine {
  name: string;
  insert(keys: Uint8Array[], value: Uint8Array, perTx: number): void;
  get(key: Uint8Array): Uint8Array | null | undefined;
  scan(): number;
  size(): number;
  close(): void;
}

function ours(dir: string): Engine {
  const path = join(dir, "bunetcd.db");
  const db = DB.open(path, { fillPercent: { bench: 0.9 } });
  const name = new TextEncoder().encode("bench");
  db.update((tx) => tx.createBucket(name));
  let rtx: ReturnType<DB["begin"]> | null = null;
  const bucket = () => {
    rtx ??= db.begin(false);
    return rtx.bucket(name)!;
  };
  return {
    name: "bunetcd backend",
    insert(keys, value, perTx) {
      for (let i = 0; i < keys.length; i += perTx) {
        db.update((tx) => {
          const b = tx.bucket(name)!;
          for (let j = i; j < i + perTx && j < keys.length; j++) b.put(keys[j], value);
        });
      }
    },
    get: (k) => bucket().get(k),
    scan() {
      let n = 0;
      const c = bucket().cursor();
      for (let e = c.first(); e; e = c.next()) n++;
      return n;
    },
    size: () => statSync(path).size,
    close() {
      rtx?.rollback();
      db.close();
    },
  };
}

function sqlite(dir: string): Engine {
  const path = join(dir, "sqlite.db");
  const db = new Database(path, { create: true });
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  db.exec("CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
  const ins = db.prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
  const sel = db.prepare("SELECT v FROM kv WHERE k = ?");
  return {
    name: "bun:sqlite (WAL, FULL)",
    insert(keys, value, perTx) {
      const batch = db.transaction((from: number) => {
        for (let j = from; j < from + perTx && j < keys.length; j++) ins.run(keys[j], value);
      });
      for (let i = 0; i < keys.length; i += perTx) batch(i);
    },
    get: (k) => (sel.get(k) as { v: Uint8Array } | null)?.v,
    scan() {
      let n = 0;
      for (const _ of db.prepare("SELECT k, v FROM kv ORDER BY k").iterate()) n++;
      return n;
    },
    size() {
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      return statSync(path).size;
    },
    close: () => db.close(),
  };
}

function lmdb(dir: string): Engine {
  const path = join(dir, "lmdb");
  const db = openLmdb({ path, keyEncoding: "binary", encoding: "binary", compression: false });
  return {
    name: "lmdb",
    insert(keys, value, perTx) {
      for (let i = 0; i < keys.length; i += perTx) {
        db.transactionSync(() => {
          for (let j = i; j < i + perTx && j < keys.length; j++) db.putSync(keys[j] as Buffer, value as Buffer);
        });
      }
    },
    get: (k) => db.getBinary(k as Buffer),
    scan() {
      let n = 0;
      for (const _ of db.getRange({})) n++;
      return n;
    },
    size: () => readdirSync(path).reduce((s, f) => s + statSync(join(path, f)).size, 0),
    close: () => void db.close(),
  };
}

function seconds(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

type Row = { insert: number; get: number; scan: number; size: number };

/** Runs one engine's whole workload (in its own process, so no engine pays for another's heap). */
function runEngine(make: (dir: string) => Engine, n: number): Row {
  const perTx = 1000;
  const keys = Array.from({ length: n }, (_, i) => {
    const k = Buffer.alloc(8);
    k.writeBigUInt64BE(BigInt(i));
    return k as Uint8Array;
  });
  const value = new Uint8Array(256).fill(0x61);
  const rng = new Rng(42);
  const order = Array.from({ length: n }, () => keys[rng.int(n)]);
  const dir = mkdtempSync(join(tmpdir(), "bench-backend-"));
  const e = make(dir);
  try {
    const insert = seconds(() => e.insert(keys, value, perTx));
    let found = 0;
    const get = seconds(() => {
      for (const k of order) if (e.get(k)) found++;
    });
    if (found !== n) throw new Error(`${e.name}: ${found} of ${n} reads found their key`);
    let scanned = 0;
    const scan = seconds(() => (scanned = e.scan()));
    if (scanned !== n) throw new Error(`${e.name}: scan saw ${scanned} of ${n}`);
    return { insert: n / insert, get: n / get, scan: n / scan, size: e.size() };
  } finally {
    e.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ENGINES: Record<string, (dir: string) => Engine> = { ours, sqlite, lmdb };
const NAMES: Record<string, string> = { ours: "bunetcd backend", sqlite: "bun:sqlite (WAL, FULL)", lmdb: "lmdb" };

if (import.meta.main) {
  // Child mode: `bun tests/bench/backend.ts ENGINE N` prints one JSON row.
  const [engine, n] = process.argv.slice(2);
  console.log(JSON.stringify(runEngine(ENGINES[engine], Number(n))));
}

export default async function backendBench(args: string[]): Promise<void> {
  const n = Number(args.find((a) => a.startsWith("--n="))?.slice(4) ?? 1_000_000);
  const runs = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 3);
  const samples: Record<string, Row[]> = {};
  for (let r = 0; r < runs; r++) {
    for (const engine of Object.keys(ENGINES)) {
      const p = Bun.spawn([process.execPath, import.meta.path, engine, String(n)], { stdout: "pipe", stderr: "inherit" });
      const out = await new Response(p.stdout).text();
      if ((await p.exited) !== 0) throw new Error(`bench child ${engine} failed`);
      (samples[NAMES[engine]] ??= []).push(JSON.parse(out));
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows: Record<string, Row> = {};
  for (const [name, rs] of Object.entries(samples)) {
    rows[name] = { insert: med(rs.map((x) => x.insert)), get: med(rs.map((x) => x.get)), scan: med(rs.map((x) => x.scan)), size: med(rs.map((x) => x.size)) };
  }
  const raw = n * (8 + 256);
  const ourRow = rows[NAMES.ours];
  const names = Object.keys(rows);
  const others = names.slice(1);
  const ratio = (f: (r: Row) => number) => others.map((x) => (f(ourRow) / f(rows[x])).toFixed(2) + "×");
  console.log(`${fmt(n)} keys (8-byte BE) × 256-byte values, 1,000 per transaction, durable commit each; raw key+value bytes: ${fmt(raw)}; median of ${runs} runs, each engine in its own process\n`);
  printTable(
    ["", ...names, ...others.map((x) => `ours ÷ ${x.split(" ")[0]}`)],
    [
      ["insert (keys/s)", ...names.map((x) => fmt(rows[x].insert)), ...ratio((r) => r.insert)],
      ["random get (reads/s)", ...names.map((x) => fmt(rows[x].get)), ...ratio((r) => r.get)],
      ["ordered scan (keys/s)", ...names.map((x) => fmt(rows[x].scan)), ...ratio((r) => r.scan)],
      ["file size (MB)", ...names.map((x) => fmt(rows[x].size / 1e6, 1)), ...ratio((r) => r.size)],
      ["file ÷ raw bytes", ...names.map((x) => (rows[x].size / raw).toFixed(3)), ...others.map(() => "")],
    ],
  );
  console.log("\nratios above 1× mean bunetcd is faster (for file size: larger).");
}
