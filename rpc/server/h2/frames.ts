// HTTP/2 framing constants and the frame writer (RFC 9113 section 4 and 6): frame types, flags, error codes,
// SETTINGS identifiers and defaults, and `frame()` which lays a 9-octet header and a payload into one buffer.
// Invariant: a frame's payload never exceeds the peer's SETTINGS_MAX_FRAME_SIZE; callers split DATA themselves.

export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
export const FRAME_HEADER = 9;

export const DATA = 0x0;
export const HEADERS = 0x1;
export const PRIORITY = 0x2;
export const RST_STREAM = 0x3;
export const SETTINGS = 0x4;
export const PUSH_PROMISE = 0x5;
export const PING = 0x6;
export const GOAWAY = 0x7;
export const WINDOW_UPDATE = 0x8;
export const CONTINUATION = 0x9;

export const FLAG_END_STREAM = 0x1;
export const FLAG_ACK = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const FLAG_PADDED = 0x8;
export const FLAG_PRIORITY = 0x20;

export const NO_ERROR = 0x0;
export const PROTOCOL_ERROR = 0x1;
export const INTERNAL_ERROR = 0x2;
export const FLOW_CONTROL_ERROR = 0x3;
export const STREAM_CLOSED = 0x5;
export const FRAME_SIZE_ERROR = 0x6;
export const REFUSED_STREAM = 0x7;
export const CANCEL = 0x8;
export const COMPRESSION_ERROR = 0x9;

export const SETTINGS_HEADER_TABLE_SIZE = 0x1;
export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;

/** The protocol's defaults, before any SETTINGS: window 65535, frame payload 16384. */
export const DEFAULT_WINDOW = 65_535;
export const DEFAULT_MAX_FRAME = 16_384;
export const MAX_WINDOW = 0x7fffffff;
export const MAX_FRAME_LIMIT = 0xffffff;

/** A frame: 9-octet header, then `payload` (copied) or `length` zero octets the caller fills in. */
export function frame(type: number, flags: number, stream: number, payload?: Uint8Array, length = payload?.length ?? 0): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + length);
  writeFrameHeader(out, 0, length, type, flags, stream);
  if (payload) out.set(payload, FRAME_HEADER);
  return out;
}

export function writeFrameHeader(out: Uint8Array, at: number, length: number, type: number, flags: number, stream: number): void {
  out[at] = length >>> 16;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = length & 0xff;
  out[at + 3] = type;
  out[at + 4] = flags;
  out[at + 5] = (stream >>> 24) & 0x7f;
  out[at + 6] = (stream >>> 16) & 0xff;
  out[at + 7] = (stream >>> 8) & 0xff;
  out[at + 8] = stream & 0xff;
}

/** A frame whose payload is one 32-bit number (WINDOW_UPDATE increment, RST_STREAM error code). */
export function u32Frame(type: number, stream: number, value: number): Buffer {
  const out = frame(type, 0, stream, undefined, 4);
  out.writeUInt32BE(value >>> 0, FRAME_HEADER);
  return out;
}

/** A SETTINGS frame carrying `[identifier, value]` pairs. */
export function settingsFrame(pairs: [number, number][]): Buffer {
  const out = frame(SETTINGS, 0, 0, undefined, 6 * pairs.length);
  pairs.forEach(([id, v], i) => {
    out.writeUInt16BE(id, FRAME_HEADER + 6 * i);
    out.writeUInt32BE(v >>> 0, FRAME_HEADER + 6 * i + 2);
  });
  return out;
}

/** A GOAWAY frame naming the last stream the server processed, with an error code and optional debug text. */
export function goawayFrame(lastStream: number, code: number, debug = ""): Buffer {
  const text = Buffer.from(debug, "utf8");
  const out = frame(GOAWAY, 0, 0, undefined, 8 + text.length);
  out.writeUInt32BE(lastStream & 0x7fffffff, FRAME_HEADER);
  out.writeUInt32BE(code >>> 0, FRAME_HEADER + 4);
  out.set(text, FRAME_HEADER + 8);
  return out;
}
