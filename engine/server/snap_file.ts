// Raft snapshot marker files in etcd's format, in member/snap/: `%016x-%016x.snap` (term, index) holding
// snappb.Snapshot {crc = CRC-32C of data, data = raftpb.Snapshot {data, metadata {conf_state, index, term}}}.
// The backend file is the state; the .snap file records which Raft index it covers, so a restart opens the
// WAL after it. etcd's own .snap files (from `etcdctl snapshot restore`) are read the same way.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { crc32c } from "../bytes/crc32c.ts";
import type { ConfState } from "../raft/index.ts";
import { syncDir } from "../backend/db.ts";

export interface SnapMarker {
  index: number;
  term: number;
  confState: ConfState;
  /** raftpb.Snapshot.data: etcd keeps its v2 store JSON here; bunetcd writes none. */
  data: Uint8Array;
}

const NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;

export function snapName(term: number, index: number): string {
  return `${term.toString(16).padStart(16, "0")}-${index.toString(16).padStart(16, "0")}.snap`;
}

export function encodeSnap(s: SnapMarker): Uint8Array {
  const cs = new BinaryWriter();
  for (const v of s.confState.voters) cs.tag(1, WireType.Varint).uint64(v);
  for (const l of s.confState.learners) cs.tag(2, WireType.Varint).uint64(l);
  cs.tag(5, WireType.Varint).bool(false);
  const meta = new BinaryWriter();
  meta.tag(1, WireType.LengthDelimited).bytes(cs.finish());
  meta.tag(2, WireType.Varint).uint64(s.index);
  meta.tag(3, WireType.Varint).uint64(s.term);
  const snap = new BinaryWriter();
  if (s.data.length) snap.tag(1, WireType.LengthDelimited).bytes(s.data);
  snap.tag(2, WireType.LengthDelimited).bytes(meta.finish());
  const data = snap.finish();
  const outer = new BinaryWriter();
  outer.tag(1, WireType.Varint).uint32(crc32c(data));
  outer.tag(2, WireType.LengthDelimited).bytes(data);
  return outer.finish();
}

/** Decodes a .snap file; throws naming the problem (bad crc, not a snapshot). */
export function decodeSnap(bytes: Uint8Array): SnapMarker {
  let crc = -1;
  let data: Uint8Array | null = null;
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wt] = r.tag();
    if (field === 1 && wt === WireType.Varint) crc = r.uint32();
    else if (field === 2 && wt === WireType.LengthDelimited) data = r.bytes();
    else r.skip(wt);
  }
  if (!data) throw new Error("empty snapshot");
  if (crc !== crc32c(data)) throw new Error("crc mismatch");
  const out: SnapMarker = { index: 0, term: 0, confState: { voters: [], learners: [] }, data: new Uint8Array(0) };
  const s = new BinaryReader(data);
  while (s.pos < s.len) {
    const [field, wt] = s.tag();
    if (field === 1 && wt === WireType.LengthDelimited) out.data = s.bytes();
    else if (field === 2 && wt === WireType.LengthDelimited) {
      const m = new BinaryReader(s.bytes());
      while (m.pos < m.len) {
        const [f, w] = m.tag();
        if (f === 1 && w === WireType.LengthDelimited) {
          const c = new BinaryReader(m.bytes());
          while (c.pos < c.len) {
            const [cf, cw] = c.tag();
            if (cf === 1 && cw === WireType.Varint) out.confState.voters.push(BigInt(c.uint64()));
            else if (cf === 2 && cw === WireType.Varint) out.confState.learners.push(BigInt(c.uint64()));
            else c.skip(cw);
          }
        } else if (f === 2 && w === WireType.Varint) out.index = Number(m.uint64());
        else if (f === 3 && w === WireType.Varint) out.term = Number(m.uint64());
        else m.skip(w);
      }
    } else s.skip(wt);
  }
  return out;
}

/** Writes a .snap file durably (temp name, fsync, rename, directory fsync). */
export function saveSnap(dir: string, s: SnapMarker): string {
  const name = snapName(s.term, s.index);
  const tmp = join(dir, `${name}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    const b = encodeSnap(s);
    writeSync(fd, b, 0, b.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  syncDir(dir);
  return name;
}

/** The newest readable .snap in dir (highest term, then index), or null. Unreadable ones are reported. */
export function loadNewestSnap(dir: string, onBad: (file: string, why: string) => void = () => undefined): SnapMarker | null {
  const names = readdirSync(dir).filter((n) => NAME.test(n)).sort().reverse();
  for (const n of names) {
    try {
      return decodeSnap(readFileSync(join(dir, n)));
    } catch (e) {
      onBad(join(dir, n), (e as Error).message);
    }
  }
  return null;
}

/** Keeps the newest `keep` .snap files (etcd's --max-snapshots). */
export function purgeSnaps(dir: string, keep: number): void {
  if (keep <= 0) return;
  const names = readdirSync(dir).filter((n) => NAME.test(n)).sort();
  for (const n of names.slice(0, Math.max(0, names.length - keep))) unlinkSync(join(dir, n));
}
