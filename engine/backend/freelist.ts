// The freelist: page ids that no committed meta can reach and no open reader can still see.
// Invariants: `ids` is sorted and duplicate-free; a page freed by transaction T sits in pending[T] until
// no open read transaction has a txid below T (a reader at txid R sees the tree of meta R, which does not
// reach pages freed by transactions <= R), then joins `ids` and can be allocated again.
// On disk (bbolt's format) the freelist page lists free and pending ids together, sorted; a count of
// 0xFFFF or more is stored in the first u64 of the page body.
import { FREELIST_COUNT_OVERFLOW, FREELIST_PAGE, PAGE_HEADER_SIZE, writePageHeader, getU64, setU64 } from "./layout.ts";
import type { PageRef } from "./page.ts";

export class Freelist {
  /** Free page ids, sorted. */
  ids: number[] = [];
  /** txid → page ids freed by that transaction. */
  pending = new Map<number, number[]>();

  /**
   * Reads the ids of a freelist page whose run (page plus overflow) is `runBytes` long. Returns a reason
   * string instead when the page cannot be a freelist (count past the run, ids out of [2, highWater)).
   */
  static read(p: PageRef, runBytes: number, highWater: number): number[] | string {
    let count = p.count;
    let start = p.off + PAGE_HEADER_SIZE;
    if (count === FREELIST_COUNT_OVERFLOW) {
      if (start + 8 > p.off + runBytes) return "freelist count past the end of the page";
      count = getU64(p.view, start);
      start += 8;
    }
    if (start + count * 8 > p.off + runBytes || start + count * 8 > p.buf.length) {
      return `freelist of ${count} ids does not fit in its ${runBytes}-byte page run`;
    }
    const ids = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const id = getU64(p.view, start + i * 8);
      if (id < 2 || id >= highWater) return `freelist lists page ${id}, outside [2, ${highWater})`;
      ids[i] = id;
    }
    return ids;
  }

  load(ids: number[]): void {
    this.ids = [...ids].sort((a, b) => a - b);
    this.pending.clear();
  }

  /** Free + pending. */
  count(): number {
    let n = this.ids.length;
    for (const p of this.pending.values()) n += p.length;
    return n;
  }

  /** Bytes the freelist page needs. */
  size(): number {
    const n = this.count();
    return PAGE_HEADER_SIZE + 8 * (n >= FREELIST_COUNT_OVERFLOW ? n + 1 : n);
  }

  /** All ids that are free or pending, sorted (what goes on disk). */
  all(): number[] {
    const out = [...this.ids];
    for (const p of this.pending.values()) out.push(...p);
    return out.sort((a, b) => a - b);
  }

  /** Allocates `n` contiguous pages; returns the first id, or 0 when no run is long enough. */
  allocate(n: number): number {
    const ids = this.ids;
    let initial = 0;
    let prev = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (prev === 0 || id - prev !== 1) initial = id;
      if (id - initial + 1 === n) {
        ids.splice(i - n + 1, n);
        return initial;
      }
      prev = id;
    }
    return 0;
  }

  /** Marks pages [pgid, pgid+overflow] as freed by transaction txid. */
  free(txid: number, pgid: number, overflow: number): void {
    if (pgid <= 1) throw new Error(`cannot free page 0 or 1: ${pgid}`);
    let list = this.pending.get(txid);
    if (!list) this.pending.set(txid, (list = []));
    for (let id = pgid; id <= pgid + overflow; id++) list.push(id);
  }

  /** Moves pages freed by transactions with txid <= upTo into the free list. */
  release(upTo: number): void {
    const moved: number[] = [];
    for (const [tid, list] of this.pending) {
      if (tid <= upTo) {
        for (const id of list) moved.push(id);
        this.pending.delete(tid);
      }
    }
    if (moved.length === 0) return;
    moved.sort((a, b) => a - b);
    this.ids = mergeSorted(this.ids, moved);
  }

  /** Serializes into a page buffer. */
  write(buf: Uint8Array, id: number, overflow: number): void {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const ids = this.all();
    let off = PAGE_HEADER_SIZE;
    if (ids.length >= FREELIST_COUNT_OVERFLOW) {
      writePageHeader(view, 0, id, FREELIST_PAGE, FREELIST_COUNT_OVERFLOW, overflow);
      setU64(view, off, ids.length);
      off += 8;
    } else {
      writePageHeader(view, 0, id, FREELIST_PAGE, ids.length, overflow);
    }
    for (const pid of ids) {
      setU64(view, off, pid);
      off += 8;
    }
  }
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
