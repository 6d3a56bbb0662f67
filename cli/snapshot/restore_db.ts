// The backend half of a restore (etcd 3.4's v3Manager.saveDB): copy the snapshot file to member/snap/db,
// strip the sha256 trailer `snapshot save` appends (present when size % 512 == 32) and check it unless
// --skip-hash-check; then open the copy as etcd's restore opens it and record consistent_index = number of
// members, so the new cluster's first entries (the member ConfChanges, indexes 1..n) are not re-applied.
// Faithful to 3.4 in two quirks: the members/members_removed buckets are left as they are (etcd's loop
// issues mvcc DeleteRange calls named after their keys, which removes only user keys with those names, in
// one revision, and that is reproduced), and a pending scheduled compaction is finished.
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { MvccStore } from "../../engine/mvcc/store.ts";
import type { RequestOp } from "../../engine/mvcc/requests.ts";
import type { Logger } from "../../engine/server/log.ts";
import { MEMBERS, MEMBERS_REMOVED } from "../../engine/server/membership.ts";
import { GoError, pathError } from "./go_errors.ts";
import { progressBar } from "./progress.ts";

const SHA256_SIZE = 32;
const CHUNK = 4 * 1024 * 1024;
const LEASE_BUCKET = new TextEncoder().encode("lease");

/** etcd's hasChecksum: 512 is the smallest sector size, so a db file is a multiple of it. */
export function hasChecksum(size: number): boolean {
  return size % 512 === SHA256_SIZE;
}

function goBytes(b: Uint8Array): string {
  return `[${[...b].join(" ")}]`;
}

/** Copies src to dbPath (created), checking and stripping the trailer. */
export function copySnapshotDb(src: string, dbPath: string, skipHashCheck: boolean): void {
  let fd: number;
  try {
    fd = openSync(src, "r");
  } catch (e) {
    throw pathError("open", src, e);
  }
  try {
    const size = fstatSync(fd).size;
    if (size < SHA256_SIZE) throw new GoError(`seek ${src}: invalid argument`);
    const trailer = new Uint8Array(SHA256_SIZE);
    readSync(fd, trailer, 0, SHA256_SIZE, size - SHA256_SIZE);
    const withHash = hasChecksum(size);
    const dataSize = withHash ? size - SHA256_SIZE : size;
    const out = openSync(dbPath, "w", 0o600);
    const h = createHash("sha256");
    const bar = progressBar("restoring snapshot", dataSize);
    try {
      const buf = new Uint8Array(CHUNK);
      for (let off = 0; off < size; ) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, size - off), off);
        if (n <= 0) break;
        const chunk = buf.subarray(0, n);
        writeSync(out, chunk, 0, n, off);
        h.update(chunk.subarray(0, Math.max(0, Math.min(n, dataSize - off))));
        bar.advance(n);
        off += n;
      }
      if (withHash) ftruncateSync(out, dataSize);
      fsyncSync(out);
    } finally {
      closeSync(out);
      bar.done();
    }
    if (!withHash && !skipHashCheck) throw new GoError("snapshot missing hash but --skip-hash-check=false");
    if (withHash && !skipHashCheck) {
      const got = new Uint8Array(h.digest());
      if (Buffer.compare(got, trailer) !== 0) throw new GoError(`expected sha256 ${goBytes(trailer)}, got ${goBytes(got)}`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Makes the copied backend part of the new cluster: consistent_index = commit (the member count). */
export async function rewriteBackend(dbPath: string, commit: number, log: Logger): Promise<void> {
  const store = MvccStore.open(dbPath);
  try {
    const meta = { "meta-bucket-name": "meta" };
    if (store.compactRevision > 0) {
      log.info("mvcc/kvstore.go:388", "restored last compact revision", { ...meta, "meta-bucket-name-key": "finishedCompactRev", "restored-compact-revision": store.compactRevision });
    }
    if (store.resumedCompaction) {
      log.info("mvcc/kvstore.go:468", "resume scheduled compaction", { ...meta, "meta-bucket-name-key": "scheduledCompactRev" });
      await store.resumedCompaction;
    }
    store.backend.createBucket(LEASE_BUCKET);
    const names: Uint8Array[] = [];
    store.db.view((tx) => {
      for (const bucket of [MEMBERS, MEMBERS_REMOVED]) tx.bucket(bucket)?.forEach((k) => void names.push(k.slice()));
    });
    const ops: RequestOp[] = names.map((key) => ({ case: "requestDeleteRange", value: { key } }));
    if (ops.length > 0) store.txn({ success: ops });
    store.markApplied({ index: commit, term: 0 });
    store.commit();
  } finally {
    store.close();
  }
}
