// snapshot(path): the Maintenance.Snapshot stream written to a file as `etcdctl snapshot save` writes it —
// into `path.part` (mode 0600), fsync, then renamed to `path`. The stream is the backend file followed by its
// sha256; the file keeps that trailer (`snapshot restore` checks it), and it is verified here before the
// rename so a torn stream never leaves a file at `path`.
import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import type { SnapshotResponse } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EtcdError, toEtcdError } from "./errors.ts";
import type { SnapshotResult } from "./types.ts";

const SHA256_BYTES = 32;

export async function writeSnapshot(stream: AsyncIterable<SnapshotResponse>, path: string): Promise<SnapshotResult> {
  const part = `${path}.part`;
  const fd = openSync(part, "w", 0o600);
  let size = 0;
  let tail = new Uint8Array(0);
  const sha = createHash("sha256");
  try {
    for await (const r of stream) {
      writeSync(fd, r.blob);
      size += r.blob.length;
      // Hash everything but the last 32 bytes seen so far: at the end, those are the trailer.
      const all = new Uint8Array(tail.length + r.blob.length);
      all.set(tail);
      all.set(r.blob, tail.length);
      const cut = Math.max(0, all.length - SHA256_BYTES);
      sha.update(all.subarray(0, cut));
      tail = all.slice(cut);
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(part);
    throw toEtcdError(e);
  }
  closeSync(fd);
  if (tail.length !== SHA256_BYTES || !Buffer.from(sha.digest()).equals(tail)) {
    unlinkSync(part);
    throw new EtcdError("DataLoss", "bunetcd: snapshot stream failed its sha256 check");
  }
  renameSync(part, path);
  return { size };
}
