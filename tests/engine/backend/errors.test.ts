// Every misuse of the API fails with its named error and leaves the data as it was.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DB } from "../../../engine/backend/db.ts";
import {
  BucketExistsError, BucketNameRequiredError, BucketNotFoundError, IncompatibleValueError, KeyRequiredError,
  KeyTooLargeError, TxClosedError, TxNotWritableError, ValueTooLargeError,
} from "../../../engine/backend/errors.ts";
import { txLines } from "../../support/bucket-model.ts";

const dir = mkdtempSync(join(tmpdir(), "bunetcd-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = (s: string) => new TextEncoder().encode(s);

test("each misuse raises its named error with bbolt's message and changes nothing", () => {
  const db = DB.open(join(dir, "e.db"));
  db.update((tx) => {
    const b = tx.createBucket(enc("b"));
    b.put(enc("k"), enc("v"));
    b.createBucket(enc("sub"));
  });
  const before = db.view((tx) => txLines(tx));
  const tx = db.begin(true);
  const b = tx.bucket(enc("b"))!;
  const cases: [() => unknown, new () => Error, string][] = [
    [() => b.put(new Uint8Array(0), enc("v")), KeyRequiredError, "key required"],
    [() => b.put(new Uint8Array(32769), enc("v")), KeyTooLargeError, "key too large"],
    // A stand-in with the length of a too-large value: the size check comes before any copy.
    [() => b.put(enc("k"), { length: 2 ** 31 - 1 } as Uint8Array), ValueTooLargeError, "value too large"],
    [() => tx.createBucket(enc("b")), BucketExistsError, "bucket already exists"],
    [() => tx.deleteBucket(enc("nope")), BucketNotFoundError, "bucket not found"],
    [() => tx.createBucket(new Uint8Array(0)), BucketNameRequiredError, "bucket name required"],
    [() => b.createBucket(enc("k")), IncompatibleValueError, "incompatible value"],
    [() => b.put(enc("sub"), enc("x")), IncompatibleValueError, "incompatible value"],
    [() => b.delete(enc("sub")), IncompatibleValueError, "incompatible value"],
    [() => b.deleteBucket(enc("k")), IncompatibleValueError, "incompatible value"],
  ];
  for (const [fn, cls, msg] of cases) {
    expect(fn).toThrow(cls);
    expect(fn).toThrow(msg);
  }
  expect(b.bucket(enc("k"))).toBeNull();
  expect(b.get(enc("sub"))).toBeNull();
  tx.commit();
  expect(db.view((t) => txLines(t))).toEqual(before);

  const ro = db.begin(false);
  expect(() => ro.bucket(enc("b"))!.put(enc("x"), enc("y"))).toThrow(TxNotWritableError);
  expect(() => ro.createBucket(enc("c"))).toThrow(TxNotWritableError);
  ro.rollback();
  expect(() => ro.bucket(enc("b"))).toThrow(TxClosedError);
  expect(() => b.get(enc("k"))).toThrow(TxClosedError);
  db.close();
});

test("a second read-write transaction is refused while one is open; readers are not", () => {
  const db = DB.open(join(dir, "w.db"));
  const w = db.begin(true);
  expect(() => db.begin(true)).toThrow("a read-write transaction is already open");
  const r = db.begin(false);
  r.rollback();
  w.rollback();
  db.begin(true).rollback();
  db.close();
});
