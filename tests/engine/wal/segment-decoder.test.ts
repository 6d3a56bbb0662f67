// The torn-tail / corruption rule of segment-decoder.ts, exhaustively over in-memory segments:
// every truncation inside the last record is a clean torn tail; every single-byte change before the
// last record is corruption reported at that record's offset; earlier records always come back.
import { describe, expect, test } from "bun:test";
import { WalCorruptionError } from "../../../engine/wal/errors.ts";
import { encodeCrc, encodeEntry, encodeMetadata } from "../../../engine/wal/payload.ts";
import { RecordType } from "../../../engine/wal/record.ts";
import { RecordEncoder } from "../../../engine/wal/record-encoder.ts";
import { decodeSegment, type DecodedSegment } from "../../../engine/wal/segment-decoder.ts";
import { makeEntries, META, rng, seedFromEnv } from "./helpers.ts";

const FILE = "/wal/0000000000000000-0000000000000000.wal";

interface Built {
  bytes: Uint8Array; // the preallocated segment image
  starts: number[]; // offset of each record
  end: number; // end of the last record
  checksum: bigint;
}

/** A segment image: crc, metadata, then entries of random sizes, zero-padded to `size`. */
function build(seed: number, count: number, size = 8192, prev = 0n): Built {
  const rand = rng(seed);
  const enc = new RecordEncoder(prev);
  const starts: number[] = [0];
  enc.append(RecordType.Crc, encodeCrc, prev);
  starts.push(enc.pending().length);
  enc.append(RecordType.Metadata, encodeMetadata, META);
  for (let i = 1; i <= count; i++) {
    starts.push(enc.pending().length);
    const [e] = makeEntries(1, i, 1, Math.floor(rand() * 90));
    enc.append(RecordType.Entry, encodeEntry, e);
  }
  const bytes = new Uint8Array(Math.max(size, enc.pending().length));
  bytes.set(enc.pending());
  return { bytes, starts, end: enc.pending().length, checksum: enc.checksum };
}

function decode(bytes: Uint8Array, isTail = true, prevChecksum: bigint | null = null) {
  const offsets: number[] = [];
  const r: DecodedSegment = decodeSegment({ bytes, file: FILE, prevChecksum, isTail }, (_t, _p, off) => offsets.push(off));
  return { ...r, offsets };
}

function corruptionAt(bytes: Uint8Array, isTail = true): WalCorruptionError {
  try {
    decode(bytes, isTail);
  } catch (e) {
    if (e instanceof WalCorruptionError) return e;
    throw e;
  }
  throw new Error("expected a WalCorruptionError");
}

describe("segment decoder", () => {
  const seed = seedFromEnv();
  const built = build(seed, 12);
  const last = built.starts[built.starts.length - 1];
  const earlier = built.starts.slice(0, -1);

  test("decodes a clean segment up to the zero tail", () => {
    const r = decode(built.bytes);
    expect(r).toMatchObject({ end: built.end, torn: false, checksum: built.checksum });
    expect(r.offsets).toEqual(built.starts);
  });

  test("every truncation inside the last record opens with all earlier records", () => {
    for (let k = last; k < built.end; k++) {
      const cut = decode(built.bytes.slice(0, k)); // the file is shorter
      const zeroed = built.bytes.slice();
      zeroed.fill(0, k); // the preallocated area was only partly written
      // when the record's last octets are zeros already, zeroing them tears nothing: that image is the whole record
      const torn = zeroed.some((v, i) => v !== built.bytes[i]);
      for (const r of torn ? [cut, decode(zeroed)] : [cut]) {
        if (r.end !== last || r.offsets.length !== earlier.length) throw new Error(`seed ${seed}: truncation at ${k} read ${r.end}`);
        expect(r.offsets).toEqual(earlier);
      }
      expect(cut.torn).toBe(k > last);
    }
  });

  test("every single-byte change before the last record is corruption at that record", () => {
    for (let b = 0; b < last; b++) {
      const rec = earlier.filter((s) => s <= b).pop()!;
      for (const change of [(v: number) => v ^ 0xff, (v: number) => v ^ 0x01, () => 0, (v: number) => (v === 0x80 ? 0x81 : 0x80)]) {
        const bytes = built.bytes.slice();
        bytes[b] = change(bytes[b]);
        if (bytes[b] === built.bytes[b]) continue;
        const err = corruptionAt(bytes);
        if (err.offset !== rec || err.file !== FILE) throw new Error(`seed ${seed}: byte ${b} reported at ${err.offset}, want ${rec}`);
        expect(err.message).toContain(`${FILE}: corrupt record at byte offset ${rec}`);
      }
    }
  });

  test("a change inside the last record is either a torn tail or corruption at it, never more", () => {
    for (let b = last; b < built.end; b++) {
      const bytes = built.bytes.slice();
      bytes[b] ^= 0x5a;
      try {
        const r = decode(bytes);
        expect(r).toMatchObject({ end: last, torn: true });
        expect(r.offsets).toEqual(earlier);
      } catch (e) {
        expect(e).toBeInstanceOf(WalCorruptionError);
        expect((e as WalCorruptionError).offset).toBe(last);
      }
    }
  });

  test("non-zero bytes right after the last record are corruption; past its sector, unsynced residue", () => {
    const near = built.bytes.slice();
    const sectorEnd = (Math.floor(built.end / 512) + 1) * 512;
    near[built.end + 8] = 1;
    if (built.end + 8 < sectorEnd) expect(corruptionAt(near).offset).toBe(built.end);
    else expect(decode(near)).toMatchObject({ end: built.end, torn: true });
    const far = built.bytes.slice();
    far[far.length - 100] = 1;
    expect(decode(far)).toMatchObject({ end: built.end, torn: true });
  });

  test("a torn record is corruption outside the tail segment; a zero tail is not", () => {
    expect(decode(built.bytes, false).end).toBe(built.end);
    const bytes = built.bytes.slice(0, built.end - 3);
    expect(corruptionAt(bytes, false).offset).toBe(last);
  });

  test("a lost first sector of the last batch is a torn tail; a lost later sector is reported", () => {
    const big = build(seed + 1, 120, 32768);
    const sector = 512;
    // The last batch starts at the first record boundary inside some sector.
    const batchStart = big.starts.find((s) => s > 4 * sector && s % sector !== 0)!;
    const lostFirst = big.bytes.slice();
    lostFirst.fill(0, batchStart, (Math.floor(batchStart / sector) + 1) * sector);
    const r = decode(lostFirst);
    expect(r).toMatchObject({ end: batchStart, torn: true });
    expect(r.offsets).toEqual(big.starts.filter((s) => s < batchStart));
    // A hole in the middle of a record that non-zero data follows cannot be told from bit rot.
    const lostLater = big.bytes.slice();
    // A sector that starts inside a record (a hole at a record boundary followed by zeros to the sector's
    // end reads as a torn first sector, like etcd's torn-entry rule).
    let s2 = (Math.floor(batchStart / sector) + 2) * sector;
    while (big.starts.includes(s2)) s2 += sector;
    expect(s2 + sector).toBeLessThan(big.end);
    lostLater.fill(0, s2, s2 + sector);
    const err = corruptionAt(lostLater);
    expect(err.offset).toBeLessThanOrEqual(s2);
    expect(err.offset).toBeGreaterThan(batchStart);
  });

  test("the crc record continues the chain across files, and a break is corruption", () => {
    const first = build(seed + 2, 3);
    const second = build(seed + 3, 3, 8192, first.checksum);
    expect(decode(second.bytes, true, first.checksum).offsets).toEqual(second.starts);
    const err = (() => {
      try {
        decode(second.bytes, true, first.checksum + 1n);
      } catch (e) {
        return e as WalCorruptionError;
      }
    })();
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect(err!.offset).toBe(0);
    expect(err!.reason).toContain("crc record carries");
  });

  test("a segment must start with a crc record; an empty or zero file is corruption", () => {
    expect(corruptionAt(built.bytes.slice(built.starts[1])).offset).toBe(0);
    expect(corruptionAt(new Uint8Array(0)).offset).toBe(0);
    expect(corruptionAt(new Uint8Array(4096)).offset).toBe(0);
  });
});
