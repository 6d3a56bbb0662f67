// Client-to-server HTTP/2 byte filter: finds header blocks (HEADERS + CONTINUATION frames) in the stream after the
// 24-octet client preface and lets AuthorityRewriter fix refused `:authority` values; every other octet passes.
// Cost model: a DATA/SETTINGS/WINDOW_UPDATE/PING/... frame is skipped by its length (no copy; a payload may span
// chunks); a chunk without header frames is handed on as the same Buffer. Only header frames are held until
// complete; a header block is re-emitted as sent unless a value changed, in which case it goes out as one HEADERS
// frame (+ CONTINUATIONs if it exceeds 16384 octets, the minimum SETTINGS_MAX_FRAME_SIZE every server accepts)
// with the original END_STREAM and priority, without padding.
// Invariants: output is the input with only rewritten header blocks changed; on anything unexpected (HPACK error,
// frames interleaved in a header block, oversized block) the filter flushes what it holds and passes the rest of
// the connection through untouched, leaving the error for the HTTP/2 server to report.
import { AuthorityRewriter } from "./hpack/authority_rewriter.ts";

const PREFACE_LENGTH = 24;
const FRAME_HEADER_LENGTH = 9;
const HEADERS = 0x1;
const CONTINUATION = 0x9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
const PRIORITY_LENGTH = 5;
/** Largest frame payload re-emitted (the protocol's minimum SETTINGS_MAX_FRAME_SIZE). */
export const MAX_EMITTED_PAYLOAD = 16384;
/** Largest header block held; beyond it the filter gives up (the server limits header lists far below this). */
const MAX_HELD_BYTES = 1 << 20;

export type Emit = (bytes: Buffer) => void;

export class ClientFrameFilter {
  /** Octets to pass before the next frame header: the preface, then the rest of a pass-through frame. */
  private skip = PREFACE_LENGTH;
  /** The start of a frame not yet complete (a partial frame header, or a partial header frame). */
  private carry: Buffer | null = null;
  /** The frames of the header block being collected (a HEADERS then CONTINUATIONs). */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private passAll = false;

  /** Header blocks seen so far, and how many of them needed a rewrite (h2_authority_probe.ts reads these). */
  blocks = 0;
  rewrites = 0;
  /** The first complete header block, joined and without padding (the probe decodes its request headers). */
  firstBlock: Uint8Array | null = null;

  constructor(private readonly rewriter = new AuthorityRewriter()) {}

  /** Filters the next chunk of client octets; calls `emit` zero or more times with the octets to deliver. */
  push(chunk: Buffer, emit: Emit): void {
    if (this.passAll) return emit(chunk);
    const buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    const n = buf.length;
    let pos = 0;
    let run = 0; // start of the octets passing untouched
    while (pos < n) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, n - pos);
        pos += k;
        this.skip -= k;
        continue;
      }
      if (n - pos < FRAME_HEADER_LENGTH) break;
      const length = (buf[pos]! << 16) | (buf[pos + 1]! << 8) | buf[pos + 2]!;
      const type = buf[pos + 3]!;
      if (type !== HEADERS && type !== CONTINUATION) {
        if (this.held.length > 0) return this.giveUp(buf, pos, emit); // frames inside a header block: protocol error
        this.skip = length;
        pos += FRAME_HEADER_LENGTH;
        continue;
      }
      const frameEnd = pos + FRAME_HEADER_LENGTH + length;
      if (this.heldBytes + length > MAX_HELD_BYTES) return this.giveUp(buf, run, emit);
      if (frameEnd > n) break;
      if (run < pos) emit(buf.subarray(run, pos));
      const endsBlock = (buf[pos + 4]! & END_HEADERS) !== 0;
      this.held.push(buf.subarray(pos, frameEnd));
      this.heldBytes += frameEnd - pos;
      pos = run = frameEnd;
      if (endsBlock) this.finishBlock(emit);
      if (this.passAll) return void (pos < n && emit(buf.subarray(pos)));
    }
    if (pos < n) this.carry = buf.subarray(pos);
    if (run < pos) emit(run === 0 && pos === n ? buf : buf.subarray(run, pos));
  }

  /** A complete header block is held: emits it as sent, or rewritten. */
  private finishBlock(emit: Emit): void {
    const frames = this.held;
    this.held = [];
    this.heldBytes = 0;
    const parsed = parseBlock(frames);
    let rewritten: Buffer | null = null;
    if (parsed) {
      try {
        rewritten = this.rewriter.rewrite(parsed.block);
      } catch {
        this.passAll = true;
      }
    } else this.passAll = true;
    if (this.blocks === 0 && parsed) this.firstBlock = parsed.block;
    this.blocks++;
    if (rewritten !== null) this.rewrites++;
    if (rewritten === null || !parsed) for (const f of frames) emit(f);
    else emit(encodeHeaderFrames(parsed.streamId, parsed.flags, parsed.priority, rewritten));
  }

  private giveUp(buf: Buffer, from: number, emit: Emit): void {
    this.passAll = true;
    for (const f of this.held) emit(f);
    this.held = [];
    if (from < buf.length) emit(buf.subarray(from));
  }
}

interface ParsedBlock {
  streamId: number;
  /** The HEADERS frame's flags. */
  flags: number;
  /** The HEADERS frame's priority fields, when its PRIORITY flag is set. */
  priority: Buffer | null;
  block: Uint8Array;
}

/** Joins the fragments of a HEADERS frame and its CONTINUATIONs; null when the frames are malformed. */
function parseBlock(frames: Buffer[]): ParsedBlock | null {
  const first = frames[0]!;
  const flags = first[4]!;
  const streamId = first.readUInt32BE(5) & 0x7fffffff;
  if (first[3] !== HEADERS) return null;
  let start = FRAME_HEADER_LENGTH;
  let end = first.length;
  if (flags & PADDED) {
    if (end <= start) return null;
    end -= first[start]!;
    start += 1;
  }
  let priority: Buffer | null = null;
  if (flags & PRIORITY) {
    priority = first.subarray(start, start + PRIORITY_LENGTH);
    start += PRIORITY_LENGTH;
  }
  if (end < start) return null;
  const fragments: Uint8Array[] = [first.subarray(start, end)];
  for (let i = 1; i < frames.length; i++) {
    const f = frames[i]!;
    if (f[3] !== CONTINUATION || (f.readUInt32BE(5) & 0x7fffffff) !== streamId) return null;
    fragments.push(f.subarray(FRAME_HEADER_LENGTH));
  }
  return { streamId, flags, priority, block: fragments.length === 1 ? fragments[0]! : Buffer.concat(fragments) };
}

/** A header block as one HEADERS frame, split into CONTINUATIONs when it exceeds MAX_EMITTED_PAYLOAD. */
export function encodeHeaderFrames(streamId: number, flags: number, priority: Buffer | null, block: Uint8Array): Buffer {
  const parts: Uint8Array[] = [];
  const firstRoom = MAX_EMITTED_PAYLOAD - (priority ? PRIORITY_LENGTH : 0);
  let at = Math.min(firstRoom, block.length);
  const headersFlags = (flags & (END_STREAM | PRIORITY)) | (at === block.length ? END_HEADERS : 0);
  parts.push(frameHeader((priority ? PRIORITY_LENGTH : 0) + at, HEADERS, headersFlags, streamId));
  if (priority) parts.push(priority);
  parts.push(block.subarray(0, at));
  while (at < block.length) {
    const next = Math.min(at + MAX_EMITTED_PAYLOAD, block.length);
    parts.push(frameHeader(next - at, CONTINUATION, next === block.length ? END_HEADERS : 0, streamId), block.subarray(at, next));
    at = next;
  }
  return Buffer.concat(parts);
}

function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const h = Buffer.allocUnsafe(FRAME_HEADER_LENGTH);
  h.writeUIntBE(length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(streamId, 5);
  return h;
}
