// Same-length stand-ins for `:authority` values Bun's HTTP/2 server refuses. grpc-go (etcdctl 3.4's
// `endpoint status`, `hashkv`, `defrag`, `move-leader`) sends its dial target as the authority, e.g.
// "http://127.0.0.1:2379" or "passthrough:///http://127.0.0.1:2379"; Bun answers RST_STREAM PROTOCOL_ERROR
// because it accepts only authority characters (nghttp2's rule, measured against Bun 1.4.5): letters, digits,
// "-._~", "!$&'()*+,;=", ":", "%", "[" and "]", and not the empty value.
// Invariant: a replacement has exactly the octet length of the original, so an HPACK dynamic table entry holding
// it keeps its size (and every later index stays aligned with the client's encoder).
// Form chosen: when the value contains a host:port (after the last "://", leading slashes, userinfo), the port is
// left-padded with zeros to fill the length: "http://127.0.0.1:2379" -> "127.0.0.1:00000002379", which URL
// parsers read back as host 127.0.0.1, port 2379. Otherwise each refused octet becomes "-"
// ("http://localhost" -> "http:--localhost"). An empty value cannot be fixed at the same length and is left.

/** Octets Bun accepts in `:authority`, as a 256-entry lookup. */
const ALLOWED = (() => {
  const table = new Uint8Array(256);
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:%[]";
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
})();

/** True when Bun accepts `value` (latin1: one char per octet) as `:authority`. */
export function isAcceptedAuthority(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) if (!ALLOWED[value.charCodeAt(i)]) return false;
  return true;
}

/** A same-length accepted form of `value`, or null when `value` is accepted already (or empty). */
export function acceptedAuthority(value: string): string | null {
  if (value.length === 0 || isAcceptedAuthority(value)) return null;
  return paddedHostPort(value) ?? value.replace(/[^a-zA-Z0-9\-._~!$&'()*+,;=:%[\]]/g, "-");
}

function paddedHostPort(value: string): string | null {
  const scheme = value.lastIndexOf("://");
  const afterScheme = (scheme < 0 ? value : value.slice(scheme + 3)).replace(/^\/+/, "");
  const hostPort = /^[^/?#]*/.exec(afterScheme)![0];
  const m = /^(.+):(\d+)$/.exec(hostPort.slice(hostPort.lastIndexOf("@") + 1));
  if (!m || !isAcceptedAuthority(m[1]!)) return null;
  const host = m[1]!;
  const port = m[2]!;
  return host + ":" + "0".repeat(value.length - host.length - 1 - port.length) + port;
}
