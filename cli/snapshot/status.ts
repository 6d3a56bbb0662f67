// `snapshot status FILE`: what etcdctl 3.4's snapshot.Status reports for a backend file (a `snapshot save`
// file, its sha256 trailer ignored, or a copied member/snap/db): bbolt's Check first, then a CRC-32C over
// every top-level bucket's name and every key and value (nothing skipped), the number of keys, the main
// revision of the last `key` bucket entry, and the file's size as bbolt sees it (high water mark × page
// size). Open errors are worded as bbolt words them (invalid database, checksum error, ...).
import { statSync } from "node:fs";
import { check } from "../../engine/backend/check.ts";
import { DB } from "../../engine/backend/db.ts";
import { InvalidFileError } from "../../engine/backend/errors.ts";
import { Crc32c } from "../../engine/bytes/crc32c.ts";
import { GoError, pathError } from "./go_errors.ts";
import { humanizeBytes } from "./humanize.ts";
import { renderTable } from "./table.ts";

export interface SnapshotStatus {
  hash: number;
  revision: number;
  totalKey: number;
  totalSize: number;
}

const KEY = "key";

/** bbolt's error for a file our backend refuses to open. */
function boltOpenError(path: string, e: InvalidFileError): GoError {
  const r = e.reason;
  if (r.startsWith("file size too small")) return new GoError("file size too small");
  // bbolt reports meta 0's problem when neither meta page is valid.
  const first = /meta at offset 0: ([^;)(]+)/.exec(r)?.[1]?.trim() ?? r;
  if (first.startsWith("invalid database") || r.startsWith("not a bbolt database")) return new GoError("invalid database");
  if (first.startsWith("version mismatch")) return new GoError("version mismatch");
  if (first.startsWith("checksum error")) return new GoError("checksum error");
  return new GoError(r);
}

export function snapshotStatus(path: string): SnapshotStatus {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw pathError("stat", path, e);
  }
  // A zero-length file: bbolt tries to initialise it through its read-only descriptor.
  if (size === 0) throw new GoError(`write ${path}: bad file descriptor`);
  let db: DB;
  try {
    db = DB.open(path, { readOnly: true });
  } catch (e) {
    if (e instanceof InvalidFileError) throw boltOpenError(path, e);
    throw pathError("open", path, e);
  }
  try {
    return db.view((tx) => {
      const problems = check(tx);
      if (problems.length > 0) {
        throw new GoError(`snapshot file integrity check failed. ${problems.length} errors found.\n${problems.join("\n")}`);
      }
      const st: SnapshotStatus = { hash: 0, revision: 0, totalKey: 0, totalSize: tx.meta.pgid * db.pageSize };
      const h = new Crc32c();
      const dec = new TextDecoder();
      tx.forEachBucket((name, b) => {
        h.write(name);
        const isKey = dec.decode(name) === KEY;
        b.forEach((k, v) => {
          h.write(k);
          if (v !== null) h.write(v);
          if (isKey && k.length >= 8) st.revision = Number(new DataView(k.buffer, k.byteOffset, 8).getBigInt64(0));
          st.totalKey++;
        });
      });
      st.hash = h.sum();
      return st;
    });
  } finally {
    db.close();
  }
}

/** The status as etcdctl prints it with -w simple|json|table|fields. */
export function formatStatus(s: SnapshotStatus, format: string): string {
  const row = [s.hash.toString(16), String(s.revision), String(s.totalKey), humanizeBytes(s.totalSize)];
  switch (format) {
    case "json":
      return JSON.stringify({ hash: s.hash, revision: s.revision, totalKey: s.totalKey, totalSize: s.totalSize }) + "\n";
    case "table":
      return renderTable(["hash", "revision", "total keys", "total size"], [row]);
    case "fields":
      return `"Hash" : ${s.hash}\n"Revision" : ${s.revision}\n"Keys" : ${s.totalKey}\n"Size" : ${s.totalSize}\n`;
    default:
      return row.join(", ") + "\n";
  }
}
