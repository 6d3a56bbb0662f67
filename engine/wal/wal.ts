// The write-ahead log: a directory of preallocated segment files that Raft entries, HardStates and
// snapshot markers are appended to and made durable before Raft acts on them (WRITE-PATH.md, 5-6).
//
// Lifecycle: `Wal.create(dir, metadata)` once per member, later `Wal.open(dir, snapshot)` which reads
// and verifies every record from that snapshot on (see `readAll`), repairs a torn tail, and leaves the
// WAL positioned for appending. Writers: `save`, `saveSnapshot`, `releaseLockTo`, `close`.
//
// Invariants:
//  - When a `save`/`saveSnapshot` promise resolves, its records have been written and fdatasync'ed.
//  - At most one fdatasync per batch; calls made while a sync is running are batched into the next
//    one (group commit, group-commit.ts). The event loop never waits for a sync (durability.ts).
//  - A segment is cut once the tail passes `segmentBytes`: the old tail is truncated to its records
//    and synced, the new file is created under a .tmp name, given its crc, metadata and state
//    records, synced, renamed, and the directory synced, before anything else goes into it.
//  - After any write or sync error the WAL is failed: every later call rejects (fail-stop).
import { closeSync, existsSync, ftruncateSync, fstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fdatasync, fsync, fsyncDirPath, openDir } from "./durability.ts";
import { WalError } from "./errors.ts";
import { GroupCommit } from "./group-commit.ts";
import { LogReplay } from "./log-replay.ts";
import { encodeCrc, encodeEntry, encodeHardState, encodeMetadata, encodeSnapshot } from "./payload.ts";
import { preallocate } from "./preallocate.ts";
import { RecordType } from "./record.ts";
import { RecordEncoder } from "./record-encoder.ts";
import { decodeSegment, type DecodedSegment } from "./segment-decoder.ts";
import { createPreallocated, openSegment, readWhole, writeAll, type Segment } from "./segment-file.ts";
import { listSegments, releasableCount, segmentName, segmentsFrom } from "./segment-names.ts";
import { isEmptyHardState, type Entry, type HardState, type ReadResult, type Snapshot, type WalMetadata } from "./types.ts";

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export interface WalOptions {
  /** Preallocated size of each segment file (default 64 MiB). */
  segmentBytes?: number;
}

export interface WalStats {
  fsyncs: number;
  bytesWritten: number;
  batches: number;
  cuts: number;
}

type Op =
  | { kind: "save"; hardState: HardState; entries: Entry[] }
  | { kind: "snapshot"; snapshot: Snapshot }
  | { kind: "release"; index: number };

interface WalState {
  dir: string;
  dirFd: number;
  segments: Segment[];
  encoder: RecordEncoder;
  tailOffset: number;
  lastIndex: number;
  hardState: HardState;
  metadata: WalMetadata;
  segmentBytes: number;
  read: ReadResult;
  repairedTail: { file: string; offset: number } | null;
}

export class Wal {
  readonly stats: WalStats = { fsyncs: 0, bytesWritten: 0, batches: 0, cuts: 0 };
  readonly dir: string;
  readonly metadata: WalMetadata;
  /** Where `open` cut off a torn tail (for the server's log), or null. */
  readonly repairedTail: { file: string; offset: number } | null;
  private readonly queue = new GroupCommit<Op>((ops) => this.processBatch(ops));
  private readonly s: WalState;
  private read: ReadResult | null;
  private closed = false;

  private constructor(state: WalState) {
    this.s = state;
    this.dir = state.dir;
    this.metadata = state.metadata;
    this.repairedTail = state.repairedTail;
    this.read = state.read;
  }

  /** Creates a new WAL in `dir` (which must not hold one), durable when the promise resolves. */
  static async create(dir: string, metadata: WalMetadata, opts: WalOptions = {}): Promise<Wal> {
    if (listSegments(dir).length > 0) throw new WalError("exists", `${dir}: a WAL already exists`);
    const segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    const tmpDir = dir.replace(/\/+$/, "") + ".tmp";
    rmSync(tmpDir, { recursive: true, force: true });
    mkdirSync(tmpDir, { recursive: true });
    const name = segmentName(0, 0);
    const fd = createPreallocated(join(tmpDir, name), segmentBytes);
    const encoder = new RecordEncoder(0n);
    let dirFd = -1;
    try {
      encoder.append(RecordType.Crc, encodeCrc, 0n);
      encoder.append(RecordType.Metadata, encodeMetadata, metadata);
      encoder.append(RecordType.Snapshot, encodeSnapshot, { index: 0, term: 0 });
      const tailOffset = encoder.pending().length;
      writeAll(fd, encoder.pending(), 0);
      encoder.written();
      await fdatasync(fd);
      await fsyncDirPath(tmpDir);
      if (existsSync(dir)) rmdirSync(dir); // an empty directory may be there already; never remove more
      renameSync(tmpDir, dir);
      await fsyncDirPath(dirname(dir));
      dirFd = openDir(dir);
      const segments = [{ seq: 0, firstIndex: 0, name, fd, path: join(dir, name) }];
      const hardState = { term: 0, vote: 0n, commit: 0 };
      return new Wal({
        dir, dirFd, segments, encoder, tailOffset, lastIndex: 0, hardState, metadata, segmentBytes,
        read: { metadata, hardState, entries: [] },
        repairedTail: null,
      });
    } catch (e) {
      closeSync(fd);
      if (dirFd >= 0) closeSync(dirFd);
      throw e;
    }
  }

  /**
   * Opens the WAL in `dir` for appending, reading every record from the segment holding `snapshot`
   * on. Fails with WalCorruptionError (file + offset) on corruption, WalError otherwise; a torn
   * tail is cut off and recorded in `repairedTail`.
   */
  static async open(dir: string, snapshot: Snapshot, opts: WalOptions = {}): Promise<Wal> {
    const segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    const names = segmentsFrom(dir, listSegments(dir), snapshot.index);
    const segments: Segment[] = [];
    let dirFd = -1;
    try {
      for (const n of names) segments.push(openSegment(dir, n));
      removeStaleTemps(dir);
      const replay = new LogReplay(snapshot);
      let last: DecodedSegment | null = null;
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i];
        const input = { bytes: readWhole(seg.fd), file: seg.path, prevChecksum: last?.checksum ?? null, isTail: i === segments.length - 1 };
        last = decodeSegment(input, (type, payload, offset) => replay.apply(type, payload, seg.path, offset));
      }
      const read = replay.result(dir);
      const tail = segments[segments.length - 1];
      const end = last!;
      await prepareTail(tail.fd, end, segmentBytes);
      dirFd = openDir(dir);
      return new Wal({
        dir, dirFd, segments, segmentBytes, read,
        encoder: new RecordEncoder(end.checksum),
        tailOffset: end.end,
        lastIndex: replay.lastIndex,
        hardState: read.hardState,
        metadata: read.metadata,
        repairedTail: end.torn ? { file: tail.path, offset: end.end } : null,
      });
    } catch (e) {
      for (const s of segments) closeSync(s.fd);
      if (dirFd >= 0) closeSync(dirFd);
      throw e;
    }
  }

  /**
   * The metadata, the last HardState and the entries after the snapshot `open` was given.
   * May be called once (the WAL drops its copy so the entries can be freed when the caller is done).
   */
  readAll(): ReadResult {
    const r = this.read;
    if (!r) throw new WalError("closed", "readAll may be called only once");
    this.read = null;
    return r;
  }

  /** Appends `entries` and a non-empty `hardState`; resolves once they are durable. */
  save(hardState: HardState, entries: Entry[]): Promise<void> {
    if (entries.length === 0 && isEmptyHardState(hardState)) return this.closed ? this.rejectClosed() : Promise.resolve();
    return this.submit({ kind: "save", hardState, entries });
  }

  /** Records that a Raft snapshot was taken at `snapshot`; resolves once durable. */
  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.submit({ kind: "snapshot", snapshot });
  }

  /**
   * Removes the segments wholly before `index` (a snapshot index): every segment before the last one
   * whose first index is below `index` (etcd's ReleaseLockTo rule). The tail is never removed.
   */
  releaseLockTo(index: number): Promise<void> {
    return this.submit({ kind: "release", index });
  }

  /** Waits for queued work, syncs, and releases the files (and their locks). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    try {
      if (!this.queue.failure) await this.sync();
    } finally {
      for (const seg of this.s.segments) closeSync(seg.fd);
      closeSync(this.s.dirFd);
    }
  }

  /** Names of the segment files currently held, oldest first. */
  segmentNames(): string[] {
    return this.s.segments.map((seg) => seg.name);
  }

  private submit(op: Op): Promise<void> {
    if (this.closed) return this.rejectClosed();
    return this.queue.submit(op);
  }

  private rejectClosed(): Promise<void> {
    return Promise.reject(new WalError("closed", `${this.dir}: WAL is closed`));
  }

  private async processBatch(ops: Op[]): Promise<void> {
    const s = this.s;
    this.stats.batches++;
    const releases: number[] = [];
    for (const op of ops) {
      if (op.kind === "release") {
        releases.push(op.index);
        continue;
      }
      this.encode(op);
      if (s.tailOffset + s.encoder.pending().length >= s.segmentBytes) {
        this.writePending();
        await this.cut();
      }
    }
    if (s.encoder.pending().length > 0) {
      this.writePending();
      await this.sync();
    }
    for (const index of releases) await this.release(index);
  }

  private encode(op: Exclude<Op, { kind: "release" }>): void {
    const s = this.s;
    if (op.kind === "snapshot") {
      s.encoder.append(RecordType.Snapshot, encodeSnapshot, op.snapshot);
      s.lastIndex = Math.max(s.lastIndex, op.snapshot.index);
      return;
    }
    for (const e of op.entries) {
      s.encoder.append(RecordType.Entry, encodeEntry, e);
      s.lastIndex = e.index;
    }
    if (!isEmptyHardState(op.hardState)) {
      s.encoder.append(RecordType.State, encodeHardState, op.hardState);
      s.hardState = op.hardState;
    }
  }

  private tail(): Segment {
    return this.s.segments[this.s.segments.length - 1];
  }

  private writePending(): void {
    const s = this.s;
    const bytes = s.encoder.pending();
    writeAll(this.tail().fd, bytes, s.tailOffset);
    s.tailOffset += bytes.length;
    this.stats.bytesWritten += bytes.length;
    s.encoder.written();
  }

  private async sync(): Promise<void> {
    await fdatasync(this.tail().fd);
    this.stats.fsyncs++;
  }

  /** Closes the full tail and moves appending to a new segment (see the header comment). */
  private async cut(): Promise<void> {
    const s = this.s;
    ftruncateSync(this.tail().fd, s.tailOffset);
    await this.sync();
    const seq = this.tail().seq + 1;
    const firstIndex = s.lastIndex + 1;
    const name = segmentName(seq, firstIndex);
    const path = join(s.dir, name);
    const fd = createPreallocated(path + ".tmp", s.segmentBytes);
    try {
      s.encoder.append(RecordType.Crc, encodeCrc, s.encoder.checksum);
      s.encoder.append(RecordType.Metadata, encodeMetadata, s.metadata);
      if (!isEmptyHardState(s.hardState)) s.encoder.append(RecordType.State, encodeHardState, s.hardState);
      const bytes = s.encoder.pending();
      writeAll(fd, bytes, 0);
      this.stats.bytesWritten += bytes.length;
      s.encoder.written();
      await fdatasync(fd);
      renameSync(path + ".tmp", path);
      await fsync(s.dirFd);
      this.stats.fsyncs += 2;
      s.segments.push({ seq, firstIndex, name, fd, path });
      s.tailOffset = bytes.length;
      this.stats.cuts++;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private async release(index: number): Promise<void> {
    const s = this.s;
    const n = releasableCount(s.segments, index);
    if (n === 0) return;
    for (const seg of s.segments.splice(0, n)) {
      unlinkSync(seg.path);
      closeSync(seg.fd);
    }
    await fsync(s.dirFd);
  }
}

/** Makes the tail ready for appending at `end`: zeroes anything after it and restores preallocation. */
async function prepareTail(fd: number, end: DecodedSegment, segmentBytes: number): Promise<void> {
  const size = fstatSync(fd).size;
  if (!end.torn && size >= segmentBytes) return;
  if (end.torn) ftruncateSync(fd, end.end);
  preallocate(fd, Math.max(size, segmentBytes));
  await fdatasync(fd);
}

function removeStaleTemps(dir: string): void {
  for (const f of readdirSync(dir)) if (f.endsWith(".wal.tmp")) unlinkSync(join(dir, f));
}

/** True when `dir` holds WAL segment files. */
export function walExists(dir: string): boolean {
  return listSegments(dir).length > 0;
}
