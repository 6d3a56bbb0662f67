// The server side of one HTTP/2 connection carrying gRPC, on a socket (cleartext or TLS) whose client preface
// has not been consumed. Parses frames, decodes request header blocks (HPACK), runs flow control both ways, and
// hands each new stream with its headers to `onStream`. Output frames are gathered and written to the socket
// once per turn (a microtask after the first is queued), so the answers to a burst of requests leave in one
// write. Why not node:http2: per call, Bun's node:http2 wrapper costs about twice the CPU of this connection and
// allocates a stream object, header objects and events; see rpc/README.md for the measurements.
// Invariants: frames are processed in arrival order; a header block (HEADERS + CONTINUATIONs) is decoded exactly
// once, in order, even for a stream that is ignored, so the HPACK table stays in step; a protocol violation ends
// the connection with GOAWAY and the error code; write callbacks run only after their bytes were handed to the
// socket and, while the socket is full, only after it drained.
import type { Duplex } from "node:stream";
import { HpackError } from "../hpack/primitives.ts";
import { HpackDecoder, type DecodedHeaders } from "../hpack/decoder.ts";
import { encodeFields, type HeaderList } from "../hpack/encoder.ts";
import * as f from "./frames.ts";
import { H2ServerStream, type StreamOwner } from "./server_stream.ts";

/** Receive windows we announce: per stream (SETTINGS_INITIAL_WINDOW_SIZE) and for the connection. */
const STREAM_WINDOW = 1 << 20;
const CONNECTION_WINDOW = 1 << 24;
/** Largest header block accepted (HEADERS + CONTINUATIONs); grpc-go's default header list limit is 16 MiB. */
const MAX_HEADER_BLOCK = 1 << 20;
const SERVER_PREFACE = Buffer.concat([
  f.settingsFrame([[f.SETTINGS_INITIAL_WINDOW_SIZE, STREAM_WINDOW]]),
  f.u32Frame(f.WINDOW_UPDATE, 0, CONNECTION_WINDOW - f.DEFAULT_WINDOW),
]);
const SETTINGS_ACK = f.frame(f.SETTINGS, f.FLAG_ACK, 0);
const NO_OUTPUT = Buffer.alloc(0);
/** HPACK dynamic table size update to 0. */
const TABLE_SIZE_ZERO = Uint8Array.of(0x20);
/** Bounds of the output buffer a flush starts with (it grows by doubling within a turn). */
const MIN_OUTPUT = 1024;
const MAX_OUTPUT = 256 * 1024;

export type StreamHandler = (stream: H2ServerStream, headers: DecodedHeaders) => void;

class ConnectionError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export class H2Connection implements StreamOwner {
  sendWindow = f.DEFAULT_WINDOW;
  maxFrame = f.DEFAULT_MAX_FRAME;
  private peerInitialWindow = f.DEFAULT_WINDOW;
  private readonly streams = new Map<number, H2ServerStream>();
  private readonly waiting = new Set<H2ServerStream>();
  private readonly decoder = new HpackDecoder();
  /** Scratch for the encoded fields of one header block. */
  private readonly fields: Uint8Array[] = [];
  private tableSizeSignalled = false;
  private pending: Buffer | null = null;
  private prefaceSeen = false;
  private lastStream = 0;
  /**
   * DATA octets received since our last connection WINDOW_UPDATE. The connection window is replenished as data
   * arrives (as grpc-go does), so it stays over half open; what a stream buffers is bounded by its own window,
   * replenished only as its data is consumed.
   */
  private received = 0;
  private headerBlock: { stream: number; flags: number; parts: Buffer[]; size: number } | null = null;
  /** Frames waiting for the socket: out[0, outBytes); a fresh buffer per flush (the socket may keep the last). */
  private out: Buffer = NO_OUTPUT;
  private outBytes = 0;
  private nextOutSize = MIN_OUTPUT;
  private flushQueued = false;
  private written: ((err?: Error) => void)[] = [];
  private afterDrain: ((err?: Error) => void)[] = [];
  private socketFull = false;
  /** We sent GOAWAY (close()): new streams are refused. */
  private goingAway = false;
  /** The client sent GOAWAY. */
  private peerGoingAway = false;
  private ended = false;

  constructor(
    private readonly socket: Duplex,
    private readonly onStream: StreamHandler,
  ) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.onDrain());
    socket.on("error", () => {}); // 'close' follows
    socket.once("close", () => this.onClose());
    this.push(SERVER_PREFACE);
  }

  /** Stops taking new streams (GOAWAY, NO_ERROR); the socket ends once the open streams are done. */
  close(): void {
    if (this.goingAway || this.ended) return;
    this.goingAway = true;
    this.push(f.goawayFrame(this.lastStream, f.NO_ERROR));
    if (this.streams.size === 0) this.endSocket();
  }

  // ---- StreamOwner

  push(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.out.set(bytes, this.outBytes - bytes.length);
  }

  pushFrame(type: number, flags: number, stream: number, payload: Uint8Array, start: number, end: number): void {
    const at = this.room(f.FRAME_HEADER + end - start);
    f.writeFrameHeader(this.out, at, end - start, type, flags, stream);
    if (end > start) this.out.set(payload.subarray(start, end), at + f.FRAME_HEADER);
  }

  pushHeaders(stream: number, headers: HeaderList, endStream: boolean): void {
    const fields = this.fields;
    encodeFields(headers, fields);
    // the first block signals an HPACK table of size 0 (RFC 7541 section 4.2): the encoder never indexes, and a
    // client that announced a SETTINGS_HEADER_TABLE_SIZE below 4096 (nghttp2 enforces it) then needs nothing more
    if (!this.tableSizeSignalled) {
      this.tableSizeSignalled = true;
      fields.unshift(TABLE_SIZE_ZERO);
    }
    let size = 0;
    for (const field of fields) size += field.length;
    const endFlag = endStream ? f.FLAG_END_STREAM : 0;
    if (size > this.maxFrame) {
      const block = Buffer.concat(fields, size);
      for (let at = 0; at < block.length; at += this.maxFrame) {
        const last = at + this.maxFrame >= block.length ? f.FLAG_END_HEADERS : 0;
        this.pushFrame(at === 0 ? f.HEADERS : f.CONTINUATION, (at === 0 ? endFlag : 0) | last, stream, block, at, Math.min(at + this.maxFrame, block.length));
      }
      return;
    }
    let at = this.room(f.FRAME_HEADER + size);
    f.writeFrameHeader(this.out, at, size, f.HEADERS, endFlag | f.FLAG_END_HEADERS, stream);
    at += f.FRAME_HEADER;
    for (const field of fields) {
      this.out.set(field, at);
      at += field.length;
    }
  }

  pushReset(stream: number, code: number): void {
    const at = this.room(f.FRAME_HEADER + 4);
    f.writeFrameHeader(this.out, at, 4, f.RST_STREAM, 0, stream);
    this.out.writeUInt32BE(code >>> 0, at + f.FRAME_HEADER);
  }

  /** Makes room for `n` more output octets and schedules the flush; returns where they go. */
  private room(n: number): number {
    const at = this.outBytes;
    if (at + n > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(at + n, at === 0 ? this.nextOutSize : 2 * this.out.length));
      if (at > 0) grown.set(this.out.subarray(0, at));
      this.out = grown;
    }
    this.outBytes = at + n;
    this.scheduleFlush();
    return at;
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => this.flush());
  }

  afterWrite(cb: (err?: Error) => void): void {
    this.written.push(cb);
    this.scheduleFlush();
  }

  blocked(stream: H2ServerStream): void {
    this.waiting.add(stream);
  }

  consumed(stream: H2ServerStream, n: number): void {
    stream.unacked += n;
    if (stream.unacked >= STREAM_WINDOW / 2 && !stream.remoteEnded) {
      this.push(f.u32Frame(f.WINDOW_UPDATE, stream.id, stream.unacked));
      stream.receiveWindow += stream.unacked;
      stream.unacked = 0;
    }
  }

  released(stream: H2ServerStream): void {
    this.streams.delete(stream.id);
    this.waiting.delete(stream);
    if ((this.goingAway || this.peerGoingAway) && this.streams.size === 0) this.endSocket();
  }

  // ---- input

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    try {
      let at = 0;
      if (this.pending !== null) {
        // complete the unit (preface or frame) that straddles the chunks by copying only its own octets
        let unit = this.pending;
        this.pending = null;
        let total = this.unitLength(unit);
        if (total === undefined) {
          at = Math.min(chunk.length, f.FRAME_HEADER - unit.length);
          unit = Buffer.concat([unit, chunk.subarray(0, at)]);
          total = this.unitLength(unit);
        }
        if (total !== undefined && total > unit.length) {
          const take = Math.min(chunk.length - at, total - unit.length);
          unit = Buffer.concat([unit, chunk.subarray(at, at + take)]);
          at += take;
        }
        if (total === undefined || unit.length < total) {
          this.pending = unit;
          return;
        }
        this.parse(unit);
        if (this.ended) return;
      }
      this.parse(at === 0 ? chunk : chunk.subarray(at));
    } catch (e) {
      if (e instanceof ConnectionError) return this.fail(e.code, e.message);
      if (e instanceof HpackError) return this.fail(f.COMPRESSION_ERROR, e.message);
      // a bug here or in a handler must cost this connection, not the server
      this.fail(f.INTERNAL_ERROR, e instanceof Error ? e.message : String(e));
    }
  }

  /** Octets of the unit `head` starts (the preface, or a frame); undefined while its frame header is incomplete. */
  private unitLength(head: Buffer): number | undefined {
    if (!this.prefaceSeen) return f.PREFACE.length;
    if (head.length < f.FRAME_HEADER) return undefined;
    return f.FRAME_HEADER + this.frameLength(head, 0);
  }

  /** A frame's payload length, refused over the SETTINGS_MAX_FRAME_SIZE we announce (the default). */
  private frameLength(buf: Buffer, at: number): number {
    const length = (buf[at]! << 16) | (buf[at + 1]! << 8) | buf[at + 2]!;
    if (length > f.DEFAULT_MAX_FRAME) throw new ConnectionError(f.FRAME_SIZE_ERROR, `frame of ${length} octets over SETTINGS_MAX_FRAME_SIZE`);
    return length;
  }

  /** Processes the whole units in `buf`; keeps a copy of an incomplete last one in `pending`. */
  private parse(buf: Buffer): void {
    let at = 0;
    if (!this.prefaceSeen) {
      if (buf.length < f.PREFACE.length) {
        this.pending = Buffer.from(buf);
        return;
      }
      if (!buf.subarray(0, f.PREFACE.length).equals(f.PREFACE)) throw new ConnectionError(f.PROTOCOL_ERROR, "bad client preface");
      this.prefaceSeen = true;
      at = f.PREFACE.length;
    }
    while (buf.length - at >= f.FRAME_HEADER) {
      const end = at + f.FRAME_HEADER + this.frameLength(buf, at);
      if (end > buf.length) break;
      const stream = buf.readUInt32BE(at + 5) & 0x7fffffff;
      this.onFrame(buf[at + 3]!, buf[at + 4]!, stream, buf, at + f.FRAME_HEADER, end);
      at = end;
      if (this.ended) return;
    }
    // a copy, so a large chunk is not kept alive for the few octets of a frame that continues in the next one
    if (at < buf.length) this.pending = Buffer.from(buf.subarray(at));
  }

  private onFrame(type: number, flags: number, id: number, buf: Buffer, start: number, end: number): void {
    if (this.headerBlock !== null && (type !== f.CONTINUATION || id !== this.headerBlock.stream)) {
      throw new ConnectionError(f.PROTOCOL_ERROR, "expected a CONTINUATION frame");
    }
    switch (type) {
      case f.DATA:
        return this.onDataFrame(flags, id, buf, start, end);
      case f.HEADERS: {
        if (id === 0) throw new ConnectionError(f.PROTOCOL_ERROR, "HEADERS on stream 0");
        const [s, e] = unpad(flags, buf, start, end, flags & f.FLAG_PRIORITY ? 5 : 0);
        if (flags & f.FLAG_END_HEADERS) return this.onHeaders(id, flags, buf, s, e);
        this.headerBlock = { stream: id, flags, parts: [buf.subarray(s, e)], size: e - s };
        return;
      }
      case f.CONTINUATION: {
        const hb = this.headerBlock;
        if (hb === null) throw new ConnectionError(f.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
        hb.parts.push(buf.subarray(start, end));
        hb.size += end - start;
        if (hb.size > MAX_HEADER_BLOCK) throw new ConnectionError(f.PROTOCOL_ERROR, "header block too large");
        if (!(flags & f.FLAG_END_HEADERS)) return;
        this.headerBlock = null;
        const block = Buffer.concat(hb.parts, hb.size);
        return this.onHeaders(hb.stream, hb.flags, block, 0, block.length);
      }
      case f.RST_STREAM:
        if (id === 0) throw new ConnectionError(f.PROTOCOL_ERROR, "RST_STREAM on stream 0");
        if (end - start !== 4) throw new ConnectionError(f.FRAME_SIZE_ERROR, "RST_STREAM length not 4");
        if (id > this.lastStream) throw new ConnectionError(f.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
        return this.streams.get(id)?.reset();
      case f.SETTINGS:
        return this.onSettings(flags, id, buf, start, end);
      case f.PING:
        if (id !== 0) throw new ConnectionError(f.PROTOCOL_ERROR, "PING on a stream");
        if (end - start !== 8) throw new ConnectionError(f.FRAME_SIZE_ERROR, "PING length not 8");
        if (!(flags & f.FLAG_ACK)) this.push(f.frame(f.PING, f.FLAG_ACK, 0, buf.subarray(start, end)));
        return;
      case f.GOAWAY:
        // the client opens no more streams; the connection ends once the open ones are done
        this.peerGoingAway = true;
        if (this.streams.size === 0) this.endSocket();
        return;
      case f.WINDOW_UPDATE:
        return this.onWindowUpdate(id, buf, start, end);
      case f.PUSH_PROMISE:
        throw new ConnectionError(f.PROTOCOL_ERROR, "PUSH_PROMISE from a client");
      default:
        return; // PRIORITY and unknown frame types are ignored
    }
  }

  private onDataFrame(flags: number, id: number, buf: Buffer, start: number, end: number): void {
    if (id === 0) throw new ConnectionError(f.PROTOCOL_ERROR, "DATA on stream 0");
    const frameLength = end - start;
    this.received += frameLength;
    if (this.received >= CONNECTION_WINDOW / 2) {
      this.push(f.u32Frame(f.WINDOW_UPDATE, 0, this.received));
      this.received = 0;
    }
    const [s, e] = unpad(flags, buf, start, end, 0);
    const stream = this.streams.get(id);
    if (stream === undefined) {
      if (id > this.lastStream) throw new ConnectionError(f.PROTOCOL_ERROR, "DATA on an idle stream");
      return; // a stream closed or reset here: frames already in flight are ignored (RFC 9113 section 5.1)
    }
    if (stream.remoteEnded) return stream.resetNow(f.STREAM_CLOSED); // DATA after END_STREAM
    stream.receiveWindow -= frameLength;
    if (stream.receiveWindow < 0) return stream.resetNow(f.FLOW_CONTROL_ERROR);
    if (e > s || frameLength > 0) stream.receive(buf.subarray(s, e), frameLength);
    if (flags & f.FLAG_END_STREAM) stream.endRemote();
  }

  private onHeaders(id: number, flags: number, block: Uint8Array, start: number, end: number): void {
    const headers = this.decoder.decode(block, start, end); // always: keeps the HPACK table in step
    const endStream = (flags & f.FLAG_END_STREAM) !== 0;
    const existing = this.streams.get(id);
    if (existing !== undefined) {
      // trailers from the client (gRPC clients send none): only their END_STREAM matters
      if (!endStream) throw new ConnectionError(f.PROTOCOL_ERROR, "second HEADERS without END_STREAM");
      if (existing.remoteEnded) return existing.resetNow(f.STREAM_CLOSED);
      return existing.endRemote();
    }
    if (id % 2 === 0) throw new ConnectionError(f.PROTOCOL_ERROR, `client stream id ${id} is even`);
    if (id <= this.lastStream) return; // a stream already closed: ignore, as its RST may be in flight
    this.lastStream = id;
    if (this.goingAway) return this.pushReset(id, f.REFUSED_STREAM);
    const stream = new H2ServerStream(this, id, this.peerInitialWindow, STREAM_WINDOW);
    this.streams.set(id, stream);
    this.onStream(stream, headers);
    if (endStream && !stream.closed) stream.endRemote();
  }

  private onSettings(flags: number, id: number, buf: Buffer, start: number, end: number): void {
    if (id !== 0) throw new ConnectionError(f.PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & f.FLAG_ACK) {
      if (end > start) throw new ConnectionError(f.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
      return;
    }
    if ((end - start) % 6 !== 0) throw new ConnectionError(f.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
    for (let at = start; at < end; at += 6) {
      const key = buf.readUInt16BE(at);
      const value = buf.readUInt32BE(at + 2);
      if (key === f.SETTINGS_INITIAL_WINDOW_SIZE) {
        if (value > f.MAX_WINDOW) throw new ConnectionError(f.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE too large");
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const s of this.streams.values()) {
          s.sendWindow += delta;
          if (s.sendWindow > f.MAX_WINDOW) throw new ConnectionError(f.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE overflows a stream window");
        }
      } else if (key === f.SETTINGS_ENABLE_PUSH) {
        if (value > 1) throw new ConnectionError(f.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH not 0 or 1");
      } else if (key === f.SETTINGS_MAX_FRAME_SIZE) {
        if (value < f.DEFAULT_MAX_FRAME || value > f.MAX_FRAME_LIMIT) throw new ConnectionError(f.PROTOCOL_ERROR, "bad SETTINGS_MAX_FRAME_SIZE");
        this.maxFrame = value;
      }
    }
    this.push(SETTINGS_ACK);
    this.pumpWaiting();
  }

  private onWindowUpdate(id: number, buf: Buffer, start: number, end: number): void {
    if (end - start !== 4) throw new ConnectionError(f.FRAME_SIZE_ERROR, "WINDOW_UPDATE length not 4");
    const inc = buf.readUInt32BE(start) & 0x7fffffff;
    if (id === 0) {
      if (inc === 0) throw new ConnectionError(f.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
      this.sendWindow += inc;
      if (this.sendWindow > f.MAX_WINDOW) throw new ConnectionError(f.FLOW_CONTROL_ERROR, "connection window overflow");
      return this.pumpWaiting();
    }
    if (id > this.lastStream) throw new ConnectionError(f.PROTOCOL_ERROR, "WINDOW_UPDATE on an idle stream");
    const stream = this.streams.get(id);
    if (stream === undefined) return;
    if (inc === 0) return stream.resetNow(f.PROTOCOL_ERROR);
    stream.sendWindow += inc;
    if (stream.sendWindow > f.MAX_WINDOW) return stream.resetNow(f.FLOW_CONTROL_ERROR);
    stream.pump();
  }

  private pumpWaiting(): void {
    if (this.waiting.size === 0) return;
    const streams = [...this.waiting];
    this.waiting.clear();
    for (const s of streams) s.pump();
  }

  // ---- output

  private flush(): void {
    this.flushQueued = false;
    const done = this.written;
    this.written = [];
    const n = this.outBytes;
    if (n > 0) {
      const bytes = this.out.subarray(0, n);
      this.out = NO_OUTPUT;
      this.outBytes = 0;
      // the next turn's buffer: about this turn's size, so a steady load allocates one buffer per flush
      this.nextOutSize = Math.min(Math.max(n + (n >>> 2), MIN_OUTPUT), MAX_OUTPUT);
      if (!this.ended && !this.socket.write(bytes)) this.socketFull = true;
    }
    if (this.socketFull) this.afterDrain.push(...done);
    else for (const cb of done) cb();
  }

  private onDrain(): void {
    this.socketFull = false;
    const done = this.afterDrain;
    this.afterDrain = [];
    for (const cb of done) cb();
  }

  /** A connection error: GOAWAY with `code`, then the socket ends; open streams are reset. */
  private fail(code: number, message: string): void {
    if (this.ended) return;
    this.push(f.goawayFrame(this.lastStream, code, message));
    this.flush();
    this.endSocket();
    this.onClose();
  }

  private endSocket(): void {
    if (this.ended) return;
    if (this.flushQueued) this.flush();
    this.ended = true;
    this.socket.end();
  }

  private onClose(): void {
    this.ended = true;
    this.out = NO_OUTPUT;
    this.outBytes = 0;
    for (const s of [...this.streams.values()]) s.reset();
    // bytes handed over but never sent: their writers learn it (and keep their buffers out of any pool)
    const lost = [...this.afterDrain, ...this.written];
    this.afterDrain = [];
    this.written = [];
    for (const cb of lost) cb(new Error("The connection closed before the data was sent"));
  }
}

/** The payload of a HEADERS or DATA frame without padding (and `skip` priority octets); checks the lengths. */
function unpad(flags: number, buf: Buffer, start: number, end: number, skip: number): [number, number] {
  let s = start;
  let e = end;
  if (flags & f.FLAG_PADDED) {
    if (end - start < 1) throw new ConnectionError(f.FRAME_SIZE_ERROR, "PADDED frame without a Pad Length");
    e -= buf[s]!;
    s++;
  }
  s += skip;
  if (s > e) throw new ConnectionError(f.PROTOCOL_ERROR, "padding exceeds the frame payload");
  return [s, e];
}
