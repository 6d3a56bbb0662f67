// Segment file naming: `%016x-%016x.wal` = (sequence number, first Raft index in the file), and the
// rules for choosing which segments to read from a snapshot on. Invariant: sequence numbers of the
// segments in a WAL directory are consecutive, and names sort in sequence order.
import { readdirSync } from "node:fs";
import { WalError } from "./errors.ts";

export interface SegmentName {
  name: string;
  seq: number;
  /** The first Raft index the segment was opened for (entries may repeat lower indexes later). */
  firstIndex: number;
}

const NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;

export function segmentName(seq: number, firstIndex: number): string {
  return `${hex16(seq)}-${hex16(firstIndex)}.wal`;
}

function hex16(n: number): string {
  return n.toString(16).padStart(16, "0");
}

export function parseSegmentName(name: string): SegmentName | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const seq = parseInt(m[1], 16);
  const firstIndex = parseInt(m[2], 16);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(firstIndex)) return null;
  return { name, seq, firstIndex };
}

/** The WAL segments in `dir`, in sequence order (other files are ignored). */
export function listSegments(dir: string): SegmentName[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names
    .map(parseSegmentName)
    .filter((s): s is SegmentName => s !== null)
    .sort((a, b) => a.seq - b.seq);
}

/**
 * The segments to read for a snapshot at `index`: from the last segment whose first index is at or
 * below it, to the end. Throws when no segment reaches back that far or the sequence has a hole.
 */
export function segmentsFrom(dir: string, all: SegmentName[], index: number): SegmentName[] {
  let start = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (all[i].firstIndex <= index) {
      start = i;
      break;
    }
  }
  if (start < 0) throw new WalError("not-found", `${dir}: no segment holds index ${index} (the WAL starts later)`);
  const picked = all.slice(start);
  for (let i = 1; i < picked.length; i++) {
    if (picked[i].seq !== picked[i - 1].seq + 1) {
      throw new WalError("not-found", `${dir}: segment sequence jumps from ${picked[i - 1].name} to ${picked[i].name}`);
    }
  }
  return picked;
}

/**
 * How many leading segments a release up to `index` frees (etcd's ReleaseLockTo rule): every segment
 * before the last one whose first index is below `index`; the tail is never released.
 */
export function releasableCount(segments: SegmentName[], index: number): number {
  let keep = segments.length - 1;
  for (let i = 0; i < segments.length; i++) {
    if (segments[i].firstIndex >= index) {
      keep = i - 1;
      break;
    }
  }
  return Math.max(0, keep);
}
