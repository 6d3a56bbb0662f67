// Writes a new WAL in etcd 3.4's own format (the counterpart of etcd_wal.ts), as etcd's wal.Create followed
// by Save and SaveSnapshot: one segment `0000000000000000-0000000000000000.wal` preallocated to 64 MB,
// holding a crc record (0), the metadata (etcdserverpb.Metadata), an empty snapshot marker, the entries, the
// HardState and the snapshot marker {index, term}. Each walpb.Record carries the CRC-32C chained over the
// data of every record so far. The directory is built as `<dir>.tmp` and renamed into place, so a crash
// never leaves a half-written WAL under the final name (etcd does the same).
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { ByteBuffer } from "../bytes/byte-buffer.ts";
import { Crc32c } from "../bytes/crc32c.ts";
import { appendBytesField, appendTag, appendVarint, WIRE_VARINT } from "../bytes/protowire.ts";
import { syncDir } from "../backend/db.ts";
import type { Entry, HardState } from "../raft/index.ts";
import { encodeEntry, encodeHardState, encodeMetadata, encodeSnapshot } from "../wal/payload.ts";
import { CRC, ENTRY, encodeFrameSize, METADATA, SEGMENT_SIZE_BYTES, segmentName, SNAPSHOT, STATE } from "./etcd_wal_record.ts";

export interface EtcdWalStart {
  memberId: bigint;
  clusterId: bigint;
  entries: Entry[];
  hardState: HardState;
  /** The snapshot marker written last (etcd's SaveSnapshot after Save). */
  snapshot: { index: number; term: number };
}

/** Accumulates framed walpb.Records with the chained checksum. */
class RecordEncoder {
  readonly out = new ByteBuffer();
  private crc = new Crc32c();
  private readonly payload = new ByteBuffer(1024);

  /** Appends a record; `fill` writes its data (none: a record without a data field, as the crc record). */
  record(type: number, fill?: (buf: ByteBuffer) => void): void {
    let data: Uint8Array | null = null;
    if (fill) {
      this.payload.reset();
      fill(this.payload);
      data = this.payload.content();
      this.crc.write(data);
    }
    const rec = new ByteBuffer(64 + (data?.length ?? 0));
    appendTag(rec, 1, WIRE_VARINT);
    appendVarint(rec, type);
    appendTag(rec, 2, WIRE_VARINT);
    appendVarint(rec, this.crc.sum());
    if (data) appendBytesField(rec, 3, data);
    const { lenField, pad } = encodeFrameSize(rec.length);
    this.out.u64le(lenField);
    this.out.raw(rec.content());
    this.out.zeros(pad);
  }
}

export function encodeEtcdWal(start: EtcdWalStart): Uint8Array {
  const enc = new RecordEncoder();
  enc.record(CRC);
  enc.record(METADATA, (b) => encodeMetadata(b, { memberId: start.memberId, clusterId: start.clusterId }));
  enc.record(SNAPSHOT, (b) => encodeSnapshot(b, { index: 0, term: 0 }));
  for (const e of start.entries) enc.record(ENTRY, (b) => encodeEntry(b, e));
  enc.record(STATE, (b) => encodeHardState(b, start.hardState));
  enc.record(SNAPSHOT, (b) => encodeSnapshot(b, start.snapshot));
  return enc.out.content();
}

/** Creates dir (which must not exist) holding a new etcd WAL; durable when this returns. */
export function createEtcdWal(dir: string, start: EtcdWalStart): void {
  if (existsSync(dir)) throw new Error(`${dir}: file exists`);
  const tmp = `${dir.replace(/\/+$/, "")}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  const bytes = encodeEtcdWal(start);
  const fd = openSync(join(tmp, segmentName(0, 0)), "w", 0o600);
  try {
    writeSync(fd, bytes, 0, bytes.length, 0);
    if (bytes.length < SEGMENT_SIZE_BYTES) ftruncateSync(fd, SEGMENT_SIZE_BYTES);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDir(tmp);
  renameSync(tmp, dir);
  syncDir(dirname(dir));
}
