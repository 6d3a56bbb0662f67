// Reads etcd 3.4's own WAL format, to take over a data directory written by etcd (or by `etcdctl snapshot
// restore`): segment files of frames {u64 LE length (top byte: padding flag and count), walpb.Record
// {type, crc, data}}, CRC-32C chained across records (a crc record carries the chain into a new file).
// Only what bunetcd needs is decoded: metadata (member/cluster ids), entries, HardState, snapshot markers.
// A bad checksum or frame is refused with the file and offset.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { Crc32c } from "../bytes/crc32c.ts";
import type { Entry, HardState } from "../raft/index.ts";
import { CRC, decodeFrameSize, ENTRY, METADATA, SEGMENT, SNAPSHOT, STATE } from "./etcd_wal_record.ts";
import { copyBytes } from "../bytes/copy.ts";

export interface EtcdWalContent {
  memberId: bigint;
  clusterId: bigint;
  hardState: HardState;
  /** Entries after `after` (later records replace an earlier tail, as etcd's ReadAll). */
  entries: Entry[];
}

/** True when dir holds WAL segments in etcd's format (first record a crc record of walpb). */
export function isEtcdWal(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => SEGMENT.test(n)).sort();
  } catch {
    return false;
  }
  if (names.length === 0) return false;
  const b = readFileSync(join(dir, names[0])).subarray(0, 16);
  // etcd: u64 length, then protobuf field 1 (type) = 4 (crcType). bunetcd's header has a type byte at 4.
  return b.length >= 10 && b[4] === 0 && b[5] === 0 && b[6] === 0 && b[8] === 0x08 && b[9] === CRC;
}

function fields(data: Uint8Array, fn: (field: number, r: BinaryReader, wt: WireType) => void): void {
  const r = new BinaryReader(data);
  while (r.pos < r.len) {
    const [f, wt] = r.tag();
    const before = r.pos;
    fn(f, r, wt);
    if (r.pos === before) r.skip(wt);
  }
}

export function readEtcdWal(dir: string, afterIndex: number): EtcdWalContent {
  const out: EtcdWalContent = { memberId: 0n, clusterId: 0n, hardState: { term: 0, vote: 0n, commit: 0 }, entries: [] };
  let crc = 0;
  for (const name of readdirSync(dir).filter((n) => SEGMENT.test(n)).sort()) {
    const file = join(dir, name);
    const buf = readFileSync(file);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let off = 0;
    while (off + 8 <= buf.length) {
      const lenField = view.getBigUint64(off, true);
      if (lenField === 0n) break; // preallocated zero tail
      const { recBytes, pad } = decodeFrameSize(lenField);
      if (off + 8 + recBytes + pad > buf.length) throw new Error(`${file}: record at offset ${off} runs past the end of the file`);
      const rec = buf.subarray(off + 8, off + 8 + recBytes);
      let type = 0, recCrc = 0;
      let data: Uint8Array = new Uint8Array(0);
      fields(rec, (f, r) => {
        if (f === 1) type = Number(r.int64());
        else if (f === 2) recCrc = r.uint32();
        else if (f === 3) data = r.bytes();
      });
      if (type === CRC) {
        if (crc !== 0 && recCrc !== crc) throw new Error(`${file}: crc chain broken at offset ${off}`);
        crc = recCrc;
      } else {
        crc = new Crc32c(crc).write(data).sum();
        if (recCrc !== crc) throw new Error(`${file}: checksum mismatch at offset ${off}`);
        decodeRecord(type, data, afterIndex, out);
      }
      off += 8 + recBytes + pad;
    }
  }
  return out;
}

function decodeRecord(type: number, data: Uint8Array, afterIndex: number, out: EtcdWalContent): void {
  if (type === METADATA) {
    fields(data, (f, r) => {
      if (f === 1) out.memberId = BigInt(r.uint64());
      else if (f === 2) out.clusterId = BigInt(r.uint64());
    });
  } else if (type === STATE) {
    fields(data, (f, r) => {
      if (f === 1) out.hardState.term = Number(r.uint64());
      else if (f === 2) out.hardState.vote = BigInt(r.uint64());
      else if (f === 3) out.hardState.commit = Number(r.uint64());
    });
  } else if (type === ENTRY) {
    const e: Entry = { term: 0, index: 0, type: 0, data: new Uint8Array(0) };
    fields(data, (f, r) => {
      if (f === 1) e.type = Number(r.int32());
      else if (f === 2) e.term = Number(r.uint64());
      else if (f === 3) e.index = Number(r.uint64());
      else if (f === 4) e.data = copyBytes(r.bytes());
    });
    if (e.index <= afterIndex) return;
    // A repeated index replaces the tail from there (a new leader overwrote it).
    const first = out.entries.length ? out.entries[0].index : e.index;
    out.entries.length = Math.max(0, e.index - first);
    out.entries.push(e);
  } else if (type !== SNAPSHOT) {
    throw new Error(`unknown WAL record type ${type}`);
  }
}
