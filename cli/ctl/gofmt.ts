// Go formatting the etcdctl printers rely on: %q of a byte string (strconv.Quote), %x / %016x / %16x of
// uint64 ids, the Go JSON string escaper (encoding/json with HTML escaping), humanize.Bytes, and zap/capnslog
// timestamps. Inputs are raw bytes so invalid UTF-8 is treated as Go treats it.

/** Decodes UTF-8 like Go's range over string: invalid bytes yield [0xfffd, width 1]. */
function* runes(b: Uint8Array): Generator<[number, number]> {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let cp = -1;
    let w = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c <= 0xdf && i + 1 < b.length && (b[i + 1]! & 0xc0) === 0x80) {
      cp = ((c & 0x1f) << 6) | (b[i + 1]! & 0x3f);
      w = 2;
    } else if (c >= 0xe0 && c <= 0xef && i + 2 < b.length && (b[i + 1]! & 0xc0) === 0x80 && (b[i + 2]! & 0xc0) === 0x80) {
      cp = ((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f);
      w = 3;
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) cp = -1;
    } else if (c >= 0xf0 && c <= 0xf4 && i + 3 < b.length && [1, 2, 3].every((k) => (b[i + k]! & 0xc0) === 0x80)) {
      cp = ((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f);
      w = 4;
      if (cp < 0x10000 || cp > 0x10ffff) cp = -1;
    }
    if (cp < 0) {
      yield [-1, 1];
      i += 1;
    } else {
      yield [cp, w];
      i += w;
    }
  }
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** Go strconv.IsPrint approximation: printable unless control, separator other than space, or unassigned. */
function isPrint(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xad) return false;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u.test(String.fromCodePoint(cp));
}

/** Go's strconv.Quote(string(b)) (fmt %q of a string). */
export function goQuote(b: Uint8Array | string): string {
  const bytes = typeof b === "string" ? new TextEncoder().encode(b) : b;
  let out = '"';
  let i = 0;
  for (const [cp, w] of runes(bytes)) {
    if (cp < 0) out += `\\x${hex2(bytes[i]!)}`;
    else if (cp === 0x22) out += '\\"';
    else if (cp === 0x5c) out += "\\\\";
    else if (isPrint(cp)) out += String.fromCodePoint(cp);
    else if (cp === 7) out += "\\a";
    else if (cp === 8) out += "\\b";
    else if (cp === 12) out += "\\f";
    else if (cp === 10) out += "\\n";
    else if (cp === 13) out += "\\r";
    else if (cp === 9) out += "\\t";
    else if (cp === 11) out += "\\v";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex2(cp)}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
    i += w;
  }
  return out + '"';
}

/** Go encoding/json string encoding (HTML-safe, invalid UTF-8 as \ufffd). */
export function goJsonString(b: Uint8Array | string): string {
  const bytes = typeof b === "string" ? new TextEncoder().encode(b) : b;
  let out = '"';
  for (const [cp] of runes(bytes)) {
    if (cp < 0) out += "\\ufffd";
    else if (cp === 0x22) out += '\\"';
    else if (cp === 0x5c) out += "\\\\";
    else if (cp === 10) out += "\\n";
    else if (cp === 13) out += "\\r";
    else if (cp === 9) out += "\\t";
    else if (cp < 0x20 || cp === 0x3c || cp === 0x3e || cp === 0x26 || cp === 0x2028 || cp === 0x2029)
      out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += String.fromCodePoint(cp);
  }
  return out + '"';
}

/** %x of an unsigned 64-bit value (int64 values are taken as two's complement, as Go's %x of uint64(id)). */
export function hex(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16);
}

/** %016x of a lease id (Go prints a negative int64 LeaseID with a minus sign). */
export function hex016(v: bigint): string {
  return v < 0n ? `-${(-v).toString(16).padStart(16, "0")}` : v.toString(16).padStart(16, "0");
}

/** %16x: right-aligned in 16 columns with spaces. */
export function hex16(v: bigint): string {
  return hex(v).padStart(16, " ");
}

/** github.com/dustin/go-humanize Bytes (SI units, e.g. "20 kB", "1.2 MB"). */
export function humanizeBytes(n: bigint | number): string {
  const s = Number(n);
  if (s < 10) return `${s} B`;
  const sizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  const e = Math.floor(Math.log(s) / Math.log(1000));
  const val = Math.floor((s / 1000 ** e) * 10 + 0.5) / 10;
  return `${val < 10 ? val.toFixed(1) : roundHalfEven(val)} ${sizes[e]}`;
}

/** Go's %.0f (round half to even). */
function roundHalfEven(v: number): string {
  const f = Math.floor(v);
  const d = v - f;
  if (Math.abs(d - 0.5) < 1e-9) return String(f % 2 === 0 ? f : f + 1);
  return String(Math.round(v));
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** zap's ISO8601 UTC timestamp with milliseconds, e.g. 2026-11-26T09:19:49.112Z. */
export function zapTime(d = new Date()): string {
  return d.toISOString();
}

/** capnslog's timestamp, e.g. "2026-11-26 09:31:21.537929" (local time, microseconds). */
export function capnslogTime(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds() * 1000, 6)}`;
}

/** Go's time.Duration String() for a non-negative duration in milliseconds (e.g. "1.834604ms", "2s"). */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return "0s";
  if (ns < 1000) return `${ns}ns`;
  const trim = (v: string) => v.replace(/\.?0+$/, "");
  if (ns < 1e6) return `${trim((ns / 1e3).toFixed(3))}µs`;
  if (ns < 1e9) return `${trim((ns / 1e6).toFixed(6))}ms`;
  const totalS = ns / 1e9;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = trim((totalS - h * 3600 - m * 60).toFixed(9));
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}
