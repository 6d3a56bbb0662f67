// HPACK's static table (RFC 7541 Appendix A), indices 1..61: names, and values for the full decoder. A decoder
// tracking the dynamic table needs a referenced name's length (entry size) and whether it is ":authority".
export const STATIC_NAMES: readonly string[] = [
  "", // index 0 is not used
  ":authority", ":method", ":method", ":path", ":path", ":scheme", ":scheme", ":status", ":status", ":status",
  ":status", ":status", ":status", ":status", "accept-charset", "accept-encoding", "accept-language",
  "accept-ranges", "accept", "access-control-allow-origin", "age", "allow", "authorization", "cache-control",
  "content-disposition", "content-encoding", "content-language", "content-length", "content-location",
  "content-range", "content-type", "cookie", "date", "etag", "expect", "expires", "from", "host", "if-match",
  "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "link", "location",
  "max-forwards", "proxy-authenticate", "proxy-authorization", "range", "referer", "refresh", "retry-after",
  "server", "set-cookie", "strict-transport-security", "transfer-encoding", "user-agent", "vary", "via",
  "www-authenticate",
];

/** Number of static entries; dynamic indices start at STATIC_COUNT + 1. */
export const STATIC_COUNT = 61;

/** The static table's values (RFC 7541 Appendix A), by index; entries without one have "". */
export const STATIC_VALUES: readonly string[] = Array.from({ length: STATIC_COUNT + 1 }, (_, i) => {
  const values: Record<number, string> = {
    2: "GET", 3: "POST", 4: "/", 5: "/index.html", 6: "http", 7: "https", 8: "200", 9: "204", 10: "206", 11: "304",
    12: "400", 13: "404", 14: "500", 16: "gzip, deflate",
  };
  return values[i] ?? "";
});
