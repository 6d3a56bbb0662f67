// gRPC status plumbing: turning whatever a service threw into (code, message), percent-encoding grpc-message the
// way the gRPC HTTP/2 spec requires (bytes outside printable ASCII, and '%', become %XX of their UTF-8), and
// parsing the grpc-timeout header. Messages are sent exactly as thrown: etcd clients match on their text.
import { Code, ConnectError } from "@connectrpc/connect";

export interface GrpcStatus {
  code: Code;
  message: string;
}

/** The status a thrown value maps to: a ConnectError's code and raw message; anything else is Unknown. */
export function statusOf(err: unknown): GrpcStatus {
  if (err instanceof ConnectError) return { code: err.code, message: err.rawMessage };
  if (err instanceof Error) return { code: Code.Unknown, message: err.message };
  return { code: Code.Unknown, message: String(err) };
}

const utf8 = new TextEncoder();
const HEX = "0123456789ABCDEF";

/** Percent-encodes a grpc-message value (spec: "Percent-Encoded" of the UTF-8 bytes). */
export function encodeGrpcMessage(message: string): string {
  let plain = true;
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x25) {
      plain = false;
      break;
    }
  }
  if (plain) return message;
  let out = "";
  for (const b of utf8.encode(message)) {
    out += b < 0x20 || b > 0x7e || b === 0x25 ? "%" + HEX[b >> 4] + HEX[b & 15] : String.fromCharCode(b);
  }
  return out;
}

/** Decodes a percent-encoded grpc-message (invalid escapes are kept literally, as grpc-go does). */
export function decodeGrpcMessage(value: string): string {
  if (!value.includes("%")) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x25 && i + 2 < value.length && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const TIMEOUT_UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };

/** grpc-timeout ("1S", "250m", up to 8 digits + unit) in milliseconds, or undefined when absent or malformed. */
export function parseGrpcTimeout(value: string | string[] | undefined): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * TIMEOUT_UNIT_MS[m[2]];
}
