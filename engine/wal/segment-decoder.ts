// Decodes the records of one segment file held in memory, verifying framing and the checksum chain,
// and decides where the valid records end. Pure: bytes in, records out, no I/O.
//
// Where decoding stops. Decoding stops at the first offset X where no valid record starts: the
// header is zero or fails its check, the length is impossible, the type unknown, the frame runs past
// the end of the file, or the checksum does not match. What that failure means:
//   - clean end: the header at X is all zeros and every byte after it is zero (preallocated space);
//   - torn tail (only in the last segment): every byte after the failing record's extent is zero,
//     i.e. the failing record is the last thing ever written. Its extent is taken from its header
//     only when the header verifies (a header check catches any single-byte change); otherwise the
//     extent is the 8-byte header alone. Also torn: the header at X is zero and the rest of its
//     512-byte sector is zero - the sector holding the start of the last batch never reached the
//     disk, and what follows is the unsynced remainder of that batch (power loss writes sectors out
//     of order). A valid header has at least two non-zero bytes, so one flipped byte cannot fake this.
//   - corruption: anything else, including a failure at offset 0 (every segment starts with a crc
//     record that was synced before the file got its name). Reported with file and offset X.
// Consequence: a damaged record followed by non-zero data is never silently dropped.
import { decodeCrc } from "./payload.ts";
import { ProtoError } from "../bytes/protowire.ts";
import { chainChecksum } from "./checksum.ts";
import { WalCorruptionError } from "./errors.ts";
import {
  CHECKSUM_BYTES,
  frameBytes,
  HEADER_BYTES,
  headerCheck,
  isRecordType,
  MAX_PAYLOAD_BYTES,
  paddingFor,
  RecordType,
} from "./record.ts";
import { isAllZero } from "./zeros.ts";

const SECTOR_BYTES = 512;

export type RecordVisitor = (type: RecordType, payload: Uint8Array, offset: number) => void;

export interface SegmentInput {
  bytes: Uint8Array;
  /** File name used in errors. */
  file: string;
  /** Checksum the previous segment ended with; null when this is the first segment read. */
  prevChecksum: bigint | null;
  /** The last segment of the WAL, the only one that may end in a torn record. */
  isTail: boolean;
}

export interface DecodedSegment {
  /** Offset just past the last valid record. */
  end: number;
  /** Checksum of the last valid record. */
  checksum: bigint;
  /** True when a torn record starts at `end` (bytes from `end` on must be discarded). */
  torn: boolean;
}

interface Failure {
  reason: string;
  /** Where the failing record ends, as far as it can be trusted. */
  extent: number;
  zeroHeader?: boolean;
}

/** Decodes all records of a segment, calling `visit` for each valid one in order. */
export function decodeSegment(input: SegmentInput, visit: RecordVisitor): DecodedSegment {
  const { bytes, file } = input;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let checksum = input.prevChecksum;
  let offset = 0;
  for (;;) {
    if (offset === bytes.length && offset > 0) return { end: offset, checksum: checksum!, torn: false };
    const frame = checkFrame(bytes, view, offset);
    if ("reason" in frame) return classify(input, offset, checksum, frame);
    const { type, payload, end } = frame;
    const stored = view.getBigUint64(end - CHECKSUM_BYTES, true);
    const carried = type === RecordType.Crc && payload.length === 8 ? decodeCrc(payload) : null;
    if (offset === 0 && carried === null) throw new WalCorruptionError(file, 0, "segment does not start with a crc record");
    const seed = carried ?? checksum!;
    if (chainChecksum(bytes.subarray(offset, end - CHECKSUM_BYTES), seed) !== stored) {
      return classify(input, offset, checksum, { reason: "checksum mismatch", extent: end });
    }
    if (carried !== null && checksum !== null && carried !== checksum) {
      throw new WalCorruptionError(file, offset, `crc record carries ${hex(carried)} but the previous file ended at ${hex(checksum)}`);
    }
    try {
      visit(type, payload, offset);
    } catch (e) {
      if (!(e instanceof ProtoError)) throw e;
      throw new WalCorruptionError(file, offset, `bad ${RecordType[type]} payload: ${(e as Error).message}`);
    }
    checksum = stored;
    offset = end;
  }
}

type Frame = { type: RecordType; payload: Uint8Array; end: number };

/** Structural checks of the frame at `offset` (everything but the checksum). */
function checkFrame(bytes: Uint8Array, view: DataView, offset: number): Frame | Failure {
  const len = bytes.length;
  if (offset + HEADER_BYTES > len) return { reason: "truncated header", extent: len };
  if (view.getUint32(offset, true) === 0 && view.getUint32(offset + 4, true) === 0) {
    return { reason: "zero header", extent: offset + HEADER_BYTES, zeroHeader: true };
  }
  if (view.getUint16(offset + 6, true) !== headerCheck(bytes, offset)) {
    return { reason: "header check mismatch", extent: offset + HEADER_BYTES };
  }
  const payloadBytes = view.getUint32(offset, true);
  const type = bytes[offset + 4];
  if (payloadBytes > MAX_PAYLOAD_BYTES) return { reason: `impossible length ${payloadBytes}`, extent: offset + HEADER_BYTES };
  if (bytes[offset + 5] !== paddingFor(payloadBytes)) return { reason: "bad padding", extent: offset + HEADER_BYTES };
  const end = offset + frameBytes(payloadBytes);
  if (end > len) return { reason: "record runs past end of file", extent: len };
  if (!isRecordType(type)) return { reason: `unknown record type ${type}`, extent: end };
  return { type, payload: bytes.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + payloadBytes), end };
}

function classify(input: SegmentInput, offset: number, checksum: bigint | null, f: Failure): DecodedSegment {
  const { bytes, file, isTail } = input;
  if (offset > 0 && checksum !== null) {
    const zerosAfter = isAllZero(bytes, f.extent, bytes.length);
    if (f.zeroHeader && zerosAfter) return { end: offset, checksum, torn: false };
    if (isTail && zerosAfter) return { end: offset, checksum, torn: true };
    if (isTail && f.zeroHeader && lostSector(bytes, offset)) return { end: offset, checksum, torn: true };
  }
  const why = offset === 0 ? "no crc record at the start of the segment" : "non-zero data follows";
  throw new WalCorruptionError(file, offset, `${f.reason} (${why})`);
}

/** The sector holding `offset` is zero from `offset` to its end: its write never landed. */
function lostSector(bytes: Uint8Array, offset: number): boolean {
  const sectorEnd = Math.min(bytes.length, (Math.floor(offset / SECTOR_BYTES) + 1) * SECTOR_BYTES);
  return isAllZero(bytes, offset, sectorEnd);
}

function hex(v: bigint): string {
  return "0x" + v.toString(16).padStart(16, "0");
}
