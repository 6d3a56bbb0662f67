// A bbolt-format database file: opening (meta selection, page size, validation), the file lock, the read
// mapping, the freelist, and the commit write sequence. One read-write transaction at a time; any number
// of read-only ones, each pinned to the meta it started with.
// Invariants: `meta` is the last commit (durable, or being made durable in the background: commit_sync.ts); pages reachable from it, or from any open reader's meta,
// are never written; the file is locked (flock) for as long as it is open.
import { closeSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writevSync, constants, writeSync } from "node:fs";
import { dirname } from "node:path";
import { lockFd } from "../fs/lock.ts";
import { DatabaseNotOpenError, InvalidFileError } from "./errors.ts";
import { Arena } from "./arena.ts";
import { Freelist } from "./freelist.ts";
import { DEFAULT_FILL_PERCENT, FREELIST_PAGE, LEAF_PAGE, META_SIZE, PAGE_HEADER_SIZE, pageKind, writePageHeader } from "./layout.ts";
import { metaPage, metaProblem, newMeta, NO_FREELIST, readMeta, type Meta } from "./meta.ts";
import { walkPages } from "./walk.ts";
import { PageRef } from "./page.ts";
import { Tx } from "./tx.ts";
import { CommitSync } from "./commit_sync.ts";

export interface OpenOptions {
  /** Open without writing and with a shared lock. */
  readOnly?: boolean;
  /** Page size of a new file (default 4096, the OS page size). Existing files use their own. */
  pageSize?: number;
  /** Skip fdatasync (tests and bulk loads only: a crash may lose commits). */
  noSync?: boolean;
  /** Fill percent per bucket path ("key", "parent/child"); others use 0.5. Not stored in the file. */
  fillPercent?: Record<string, number>;
}

const ALLOC_SIZE = 16 * 1024 * 1024;
const PAGE_SIZE_CANDIDATES = [4096, 8192, 16384, 32768, 65536, 1024, 2048];
const decoder = new TextDecoder();

export class DB {
  readonly path: string;
  readonly readOnly: boolean;
  private fd: number;
  pageSize = 4096;
  meta!: Meta;
  data!: Uint8Array;
  dataView!: DataView;
  readonly freelist = new Freelist();
  /** Bytes for the write transactions' pages and node keys (arena.ts). */
  readonly arena = new Arena();
  private fileSize = 0;
  private writer: Tx | null = null;
  private readers = new Map<number, number>();
  private readonly noSync: boolean;
  private readonly fillPercents: Record<string, number>;
  private opened = true;
  private readonly commitSync = new CommitSync(() => this.fd);

  private constructor(path: string, fd: number, opts: OpenOptions) {
    this.path = path;
    this.fd = fd;
    this.readOnly = !!opts.readOnly;
    this.noSync = !!opts.noSync;
    this.fillPercents = opts.fillPercent ?? {};
  }

  static open(path: string, opts: OpenOptions = {}): DB {
    const readOnly = !!opts.readOnly;
    const created = !existsSync(path);
    if (created && readOnly) throw new InvalidFileError(path, "no such file");
    const fd = openSync(path, readOnly ? constants.O_RDONLY : constants.O_RDWR | constants.O_CREAT, 0o600);
    const db = new DB(path, fd, opts);
    try {
      lockFd(fd, path, readOnly);
      if (fstatSync(fd).size === 0) db.init(opts.pageSize ?? 4096, created);
      db.load();
    } catch (e) {
      closeSync(fd);
      db.opened = false;
      throw e;
    }
    return db;
  }

  /** Writes the four pages of an empty database: two metas, an empty freelist, an empty root leaf. */
  private init(pageSize: number, created: boolean): void {
    const buf = new Uint8Array(pageSize * 4);
    for (let i = 0; i < 2; i++) {
      const m = newMeta(pageSize, i);
      buf.set(metaPage(m), i * pageSize);
    }
    const v = new DataView(buf.buffer);
    writePageHeader(v, 2 * pageSize, 2, FREELIST_PAGE, 0, 0);
    writePageHeader(v, 3 * pageSize, 3, LEAF_PAGE, 0, 0);
    writeSync(this.fd, buf, 0, buf.length, 0);
    fdatasyncSync(this.fd);
    if (created) syncDir(dirname(this.path));
  }

  /** Reads and validates the metas, maps the file and loads the freelist. */
  private load(): void {
    const size = fstatSync(this.fd).size;
    const head = new Uint8Array(Math.min(size, 65536 * 2));
    readSync(this.fd, head, 0, head.length, 0);
    if (size < PAGE_HEADER_SIZE + META_SIZE) throw this.corrupt(`file size too small (${size} bytes): not a bbolt database`, 0);
    // The page size comes from meta 0; if meta 0 is damaged, find meta 1 at a plausible page size.
    const metas: { m: Meta; problem: string | null; off: number }[] = [];
    const m0 = readMeta(head, 0);
    metas.push({ m: m0, problem: metaProblem(head, 0, m0), off: 0 });
    let pageSize = metas[0].problem ? 0 : m0.pageSize;
    const sizes = pageSize ? [pageSize] : PAGE_SIZE_CANDIDATES;
    for (const ps of sizes) {
      if (ps + PAGE_HEADER_SIZE + META_SIZE > head.length) continue;
      const m1 = readMeta(head, ps);
      const problem = metaProblem(head, ps, m1);
      if (pageSize || (!problem && m1.pageSize === ps)) {
        metas.push({ m: m1, problem, off: ps });
        pageSize = ps;
        break;
      }
    }
    if (metas.length === 1 && head.length >= 4096 + PAGE_HEADER_SIZE + META_SIZE) {
      // Neither meta is usable: report meta 1 at the default page size too.
      const m1 = readMeta(head, 4096);
      metas.push({ m: m1, problem: metaProblem(head, 4096, m1) ?? `page size ${m1.pageSize} does not match its offset`, off: 4096 });
    }
    const valid = metas.filter((x) => !x.problem).sort((a, b) => b.m.txid - a.m.txid);
    if (valid.length === 0) {
      const reasons = metas.map((x) => `meta at offset ${x.off}: ${x.problem}`).join("; ");
      const allBadMagic = metas.every((x) => x.problem?.startsWith("invalid database"));
      throw new InvalidFileError(this.path, allBadMagic ? `not a bbolt database (${reasons})` : `no valid meta page (${reasons})`);
    }
    this.pageSize = pageSize;
    if (size < pageSize * 2) throw this.corrupt(`file size too small (${size} bytes)`, size);
    let chosen: Meta | null = null;
    const problems: string[] = [];
    for (const { m } of valid) {
      const p = this.metaRangeProblem(m, size);
      if (!p) {
        chosen = m;
        break;
      }
      problems.push(`meta txid ${m.txid}: ${p}`);
    }
    if (!chosen) throw new InvalidFileError(this.path, `file is truncated or damaged: ${problems.join("; ")}`);
    this.meta = chosen;
    this.fileSize = size;
    this.remap();
    this.freelist.load(this.committedFreeIds());
  }

  /** The free pages of the committed meta: its freelist page, or (no freelist page) every unreachable page. */
  private committedFreeIds(): number[] {
    const { freelist, pgid } = this.meta;
    if (freelist === NO_FREELIST) {
      const used = new Uint8Array(pgid);
      used[0] = used[1] = 1;
      const tx = new Tx(this, false);
      walkPages(tx, ({ page, inline }) => {
        if (!inline) used.fill(1, page.id, page.id + page.overflow + 1);
      });
      const ids: number[] = [];
      for (let id = 2; id < pgid; id++) if (!used[id]) ids.push(id);
      return ids;
    }
    const off = freelist * this.pageSize;
    const fl = new PageRef(this.data, this.dataView, off, freelist);
    if (!(fl.flags & FREELIST_PAGE)) throw this.corrupt(`freelist page ${freelist} has type ${pageKind(fl.flags)}`, off);
    const ids = Freelist.read(fl, (fl.overflow + 1) * this.pageSize, pgid);
    if (typeof ids === "string") throw this.corrupt(`freelist page ${freelist}: ${ids}`, off);
    return ids;
  }

  private metaRangeProblem(m: Meta, size: number): string | null {
    if (m.pgid * this.pageSize > size) return `high water mark page ${m.pgid} is past the end of the file (${size} bytes)`;
    if (m.root < 2 || m.root >= m.pgid) return `root page ${m.root} out of range`;
    if (m.freelist !== NO_FREELIST && (m.freelist < 2 || m.freelist >= m.pgid)) return `freelist page ${m.freelist} out of range`;
    return null;
  }

  private remap(): void {
    this.data = Bun.mmap(this.path, { shared: true });
    this.dataView = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  }

  /** An error naming this file and an offset in it. */
  corrupt(reason: string, offset?: number): InvalidFileError {
    return new InvalidFileError(this.path, reason, offset);
  }

  fillPercentFor(path: Uint8Array[]): number {
    const key = path.map((p) => decoder.decode(p)).join("/");
    return this.fillPercents[key] ?? DEFAULT_FILL_PERCENT;
  }

  // ---- transactions ----

  begin(writable: boolean): Tx {
    if (!this.opened) throw new DatabaseNotOpenError();
    if (writable) {
      if (this.readOnly) throw new InvalidFileError(this.path, "database opened read-only");
      if (this.writer) throw new Error("a read-write transaction is already open");
      this.freelist.release(this.readers.size ? Math.min(...this.readers.keys()) : Number.MAX_SAFE_INTEGER);
      this.writer = new Tx(this, true);
      return this.writer;
    }
    const tx = new Tx(this, false);
    this.readers.set(tx.id, (this.readers.get(tx.id) ?? 0) + 1);
    return tx;
  }

  /** Runs fn in a read-write transaction and commits it (rolls back if fn throws). */
  update<T>(fn: (tx: Tx) => T): T {
    const tx = this.begin(true);
    try {
      const r = fn(tx);
      tx.commit();
      return r;
    } finally {
      tx.rollback();
    }
  }

  /** Runs fn in a read-only transaction. */
  view<T>(fn: (tx: Tx) => T): T {
    const tx = this.begin(false);
    try {
      return fn(tx);
    } finally {
      tx.rollback();
    }
  }

  txClosed(tx: Tx): void {
    if (tx.writable) {
      if (this.writer === tx) this.writer = null;
      return;
    }
    const n = (this.readers.get(tx.id) ?? 1) - 1;
    if (n <= 0) this.readers.delete(tx.id);
    else this.readers.set(tx.id, n);
  }

  /**
   * The commit write sequence: pages, sync, meta, sync. With `deferSync` only the pages are written here and
   * the rest runs on the thread pool (commit_sync.ts); either way a deferred commit still in flight is made
   * durable first.
   */
  writeCommit(meta: Meta, dirty: Map<number, Uint8Array>, deferSync = false): void {
    this.commitSync.finish();
    const needed = meta.pgid * this.pageSize;
    if (needed > this.fileSize) {
      // Grow ahead by 1/16 of the file (at most 16 MiB), so growth (ftruncate + remap) stays rare
      // while the slack stays small.
      const ahead = Math.min(ALLOC_SIZE, Math.ceil(this.fileSize / 16 / this.pageSize) * this.pageSize);
      const grown = needed + ahead;
      ftruncateSync(this.fd, grown);
      this.fileSize = grown;
    }
    const ids = [...dirty.keys()].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; ) {
      // Coalesce runs of adjacent pages into one writev.
      const start = ids[i];
      const bufs: Uint8Array[] = [];
      let next = start;
      while (i < ids.length && ids[i] === next && bufs.length < 1024) {
        const b = dirty.get(ids[i])!;
        bufs.push(b);
        next += b.length / this.pageSize;
        i++;
      }
      writevSync(this.fd, bufs, start * this.pageSize);
    }
    const mp = metaPage(meta);
    const metaOffset = (meta.txid % 2) * this.pageSize;
    if (deferSync && !this.noSync) this.commitSync.start(mp, metaOffset);
    else {
      if (!this.noSync) fdatasyncSync(this.fd);
      writeSync(this.fd, mp, 0, mp.length, metaOffset);
      if (!this.noSync) fdatasyncSync(this.fd);
    }
    this.meta = { ...meta };
    if (this.fileSize > this.data.length) this.remap();
  }

  /** After a failed commit: the free pages are the committed freelist minus what readers still hold. */
  reloadFreelist(): void {
    const failed = this.meta.txid + 1;
    this.freelist.pending.delete(failed);
    const held = new Set<number>();
    for (const list of this.freelist.pending.values()) for (const id of list) held.add(id);
    const pending = new Map(this.freelist.pending);
    this.freelist.load(this.committedFreeIds().filter((id) => !held.has(id)));
    for (const [k, v] of pending) this.freelist.pending.set(k, v);
  }

  get isOpen(): boolean {
    return this.opened;
  }
  get size(): number {
    return this.fileSize;
  }

  /** Makes a deferred commit durable now (see writeCommit); a no-op when none is in flight. */
  sync(): void {
    this.commitSync.finish();
  }

  close(): void {
    if (!this.opened) return;
    this.opened = false;
    this.writer?.rollback();
    try {
      this.commitSync.finish();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** fsyncs a directory so a file created in it survives a crash. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
