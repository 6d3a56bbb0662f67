// Record framing: alignment, header layout, and the header check's guarantee that any single-byte
// change of a header is detected (the decoder relies on it to trust a record's extent).
import { expect, test } from "bun:test";
import { ByteBuffer } from "../../../engine/bytes/byte-buffer.ts";
import { chainChecksum } from "../../../engine/wal/checksum.ts";
import { frameBytes, HEADER_BYTES, headerCheck, RecordType } from "../../../engine/wal/record.ts";
import { RecordEncoder } from "../../../engine/wal/record-encoder.ts";

const raw = (b: ByteBuffer, v: Uint8Array) => b.raw(v);

test("frames are 8-byte aligned and carry length, type, padding and a chained checksum", () => {
  const enc = new RecordEncoder(42n);
  let expectedLen = 0;
  for (let n = 0; n <= 17; n++) {
    enc.append(RecordType.Entry, raw, new Uint8Array(n).fill(0xab));
    expectedLen += frameBytes(n);
    expect(enc.pending().length).toBe(expectedLen);
    expect(enc.pending().length % 8).toBe(0);
  }
  const bytes = enc.pending();
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let at = 0;
  let prev = 42n;
  for (let n = 0; n <= 17; n++) {
    expect(view.getUint32(at, true)).toBe(n);
    expect(bytes[at + 4]).toBe(RecordType.Entry);
    expect((n + bytes[at + 5]) % 8).toBe(0);
    const end = at + frameBytes(n);
    const sum = chainChecksum(bytes.subarray(at, end - 8), prev);
    expect(view.getBigUint64(end - 8, true)).toBe(sum);
    prev = sum;
    at = end;
  }
  expect(enc.checksum).toBe(prev);
});

test("an oversized payload is refused and leaves the buffer unchanged", () => {
  const enc = new RecordEncoder(0n);
  enc.append(RecordType.Entry, raw, new Uint8Array(3));
  const before = enc.pending().slice();
  expect(() => enc.append(RecordType.Entry, (b) => b.zeros(33 * 1024 * 1024), null)).toThrow(RangeError);
  expect(enc.pending()).toEqual(before);
});

test("the header check detects every single-byte change of a header", () => {
  const enc = new RecordEncoder(0n);
  for (const n of [1, 7, 8, 255, 256, 65536]) enc.append(RecordType.Snapshot, (b) => b.zeros(n), null);
  const bytes = enc.pending();
  let at = 0;
  while (at < bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = view.getUint32(at, true);
    const header = bytes.slice(at, at + HEADER_BYTES);
    const check = new DataView(header.buffer).getUint16(6, true);
    expect(headerCheck(header, 0)).toBe(check);
    for (let i = 0; i < HEADER_BYTES; i++) {
      for (let v = 0; v < 256; v++) {
        if (v === header[i]) continue;
        const h = header.slice();
        h[i] = v;
        expect(headerCheck(h, 0) === new DataView(h.buffer).getUint16(6, true)).toBe(false);
      }
    }
    at += frameBytes(n);
  }
});
