// Damaged and foreign files: each is refused with a message naming the file (and an offset where one
// applies), or — for damage inside the tree — opens and `check` lists the problems; never a crash or hang.
// A second process opening a file read-write is refused by the file lock.
import { afterAll, expect, test } from "bun:test";
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "../../../engine/backend/check.ts";
import { DB } from "../../../engine/backend/db.ts";
import { InvalidFileError } from "../../../engine/backend/errors.ts";
import { main } from "../../../cli/main.ts";
import { Rng, testSeed } from "../../support/random.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-badfiles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);

/** A sound file with several levels of pages and a committed history of 10 transactions. */
function sample(name: string): string {
  const path = join(dir, name);
  const db = DB.open(path);
  for (let t = 0; t < 10; t++) {
    db.update((tx) => {
      const b = tx.createBucketIfNotExists(enc("data"));
      for (let i = 0; i < 300; i++) b.put(enc(`k${t}-${i}`), enc("v".repeat(100)));
    });
  }
  db.close();
  return path;
}

function patch(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, "r+");
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

function openError(path: string): InvalidFileError {
  try {
    DB.open(path).close();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidFileError);
    expect((e as Error).message).toContain(path);
    return e as InvalidFileError;
  }
  throw new Error(`${path} opened but should not have`);
}

test("a file that is not a bbolt database is refused, naming the file", () => {
  const path = join(dir, "text.db");
  writeFileSync(path, "this is not a database\n".repeat(1000));
  expect(openError(path).message).toContain("not a bbolt database");
  const empty = join(dir, "tiny.db");
  writeFileSync(empty, "x");
  expect(openError(empty).message).toContain("too small");
});

test("a different format version is refused with a version mismatch", () => {
  const path = sample("version.db");
  const v = new Uint8Array(4);
  new DataView(v.buffer).setUint32(0, 1, true);
  patch(path, 20, v); // meta 0 version
  patch(path, 4096 + 20, v); // meta 1 version
  expect(openError(path).message).toContain("version mismatch (file has version 1, expected 2)");
  // Only one meta damaged (checksum): the other one is used.
  const other = sample("checksum.db");
  patch(other, 16 + 60, new Uint8Array([1, 2, 3, 4]));
  const db = DB.open(other);
  expect(db.view((tx) => check(tx))).toEqual([]);
  db.close();
});

test("a zeroed meta page falls back to the other meta; both zeroed is refused", () => {
  const path = sample("meta.db");
  const txid = (() => {
    const db = DB.open(path);
    const t = db.meta.txid;
    db.close();
    return t;
  })();
  // Zero the current meta: the file opens at the previous transaction.
  patch(path, (txid % 2) * 4096, new Uint8Array(4096));
  const db = DB.open(path);
  expect(db.meta.txid).toBe(txid - 1);
  expect(db.view((tx) => check(tx))).toEqual([]);
  db.close();
  patch(path, ((txid + 1) % 2) * 4096, new Uint8Array(4096));
  const msg = openError(path).message;
  expect(msg).toContain("meta at offset 0");
  expect(msg).toContain("meta at offset 4096");
});

test("a truncated file is refused with the file and the missing offset", () => {
  const path = sample("trunc.db");
  const size = readFileSync(path).length;
  truncateSync(path, Math.floor(size / 2 / 4096) * 4096);
  expect(openError(path).message).toContain("truncated");
});

test("garbage pages inside the tree: open works, check lists problems, reads fail cleanly, CLI check exits 1", async () => {
  const seed = testSeed();
  console.log(`bad-files seed=${seed}`);
  const rng = new Rng(seed);
  const base = sample("garbage-base.db");
  const db0 = DB.open(base);
  const hw = db0.meta.pgid;
  db0.close();
  let detected = 0;
  for (let round = 0; round < 20; round++) {
    const path = join(dir, `garbage-${round}.db`);
    copyFileSync(base, path);
    const pgid = 2 + rng.int(hw - 2);
    patch(path, pgid * 4096, rng.bytes(4096));
    let db: DB;
    try {
      db = DB.open(path);
    } catch (e) {
      // The freelist page itself was hit: refused at open with the file name.
      expect(e).toBeInstanceOf(InvalidFileError);
      expect((e as Error).message).toContain(path);
      detected++;
      continue;
    }
    const problems = db.view((tx) => check(tx));
    // Reading everything either works (the page was free) or throws a named error, never hangs.
    try {
      db.view((tx) => tx.bucket(enc("data"))?.forEach(() => {}));
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
    }
    db.close();
    if (problems.length) {
      detected++;
      expect(await main(["backend", "check", path])).toBe(1);
    } else {
      expect(await main(["backend", "check", path])).toBe(0);
    }
  }
  // Most pages of the sample are in use, so most rounds must be detected.
  expect(detected).toBeGreaterThan(10);
});

test("a second process cannot open the file read-write while it is open", async () => {
  const path = sample("locked.db");
  const db = DB.open(path);
  const p = Bun.spawn([process.execPath, "-e", `import {DB} from ${JSON.stringify(join(import.meta.dir, "../../../engine/backend/db.ts"))}; try { DB.open(${JSON.stringify(path)}); console.log("opened"); } catch (e) { console.log(e.name + ": " + e.message); }`], { stdout: "pipe" });
  const out = await new Response(p.stdout).text();
  await p.exited;
  db.close();
  expect(out).toContain("LockedError");
  expect(out).toContain(path);
});
