// The durable half of a commit, off the event loop: after a commit has written its pages (into the page cache,
// visible to every reader through the mapping), the fdatasync of those pages, the meta page write and the
// second fdatasync run on the thread pool, so a batch commit no longer stalls every request for two disk flushes.
// Invariants (bbolt's ordering, kept): the meta page is written only after the pages it points to are durable,
// and the next commit's pages are written only after this commit is durable (finish() first, synchronously
// if the thread pool has not got there) — so pages the durable meta still references are never overwritten.
// Until a deferred commit is durable a crash recovers the previous meta; the server's WAL (fsync'ed before
// apply) still holds every entry, and consistent_index in that older meta makes the replay start early enough.
// A commit whose caller needs durability at once (a snapshot about to release WAL segments, close) does not
// defer. A failed background fdatasync is kept and thrown by the next finish().
import { fdatasync, fdatasyncSync, writeSync } from "node:fs";

interface Job {
  metaPage: Uint8Array;
  metaOffset: number;
  metaWritten: boolean;
  done: boolean;
}

export class CommitSync {
  private job: Job | null = null;
  private failure: Error | null = null;

  constructor(private readonly fd: () => number) {}

  /** Starts making a commit durable in the background: fdatasync, then the meta page, then fdatasync. */
  start(metaPage: Uint8Array, metaOffset: number): void {
    this.finish();
    const job: Job = { metaPage, metaOffset, metaWritten: false, done: false };
    this.job = job;
    const fd = this.fd();
    fdatasync(fd, (err) => {
      if (job.done) return;
      if (err) return this.fail(job, err);
      this.writeMeta(job);
      fdatasync(fd, (err2) => {
        if (job.done) return;
        if (err2) return this.fail(job, err2);
        this.complete(job);
      });
    });
  }

  /** Makes the commit in flight durable now (a no-op when there is none); throws a background failure. */
  finish(): void {
    const job = this.job;
    if (job !== null) {
      const fd = this.fd();
      if (!job.metaWritten) {
        fdatasyncSync(fd);
        this.writeMeta(job);
      }
      fdatasyncSync(fd);
      this.complete(job);
    }
    if (this.failure !== null) {
      const e = this.failure;
      this.failure = null;
      throw e;
    }
  }

  private writeMeta(job: Job): void {
    writeSync(this.fd(), job.metaPage, 0, job.metaPage.length, job.metaOffset);
    job.metaWritten = true;
  }

  private complete(job: Job): void {
    job.done = true;
    if (this.job === job) this.job = null;
  }

  private fail(job: Job, err: Error): void {
    this.failure = new Error(`backend: background fdatasync failed: ${err.message}`);
    this.complete(job);
  }
}
