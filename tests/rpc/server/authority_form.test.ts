// Same-length accepted forms of refused `:authority` values: the character rule Bun applies, the zero-padded
// host:port form (which URL parsers read back as the same host and port), the per-octet fallback.
import { describe, expect, test } from "bun:test";
import { acceptedAuthority, isAcceptedAuthority } from "../../../rpc/server/authority_form.ts";

describe("authority_form", () => {
  test("what Bun accepts: authority characters only, not empty", () => {
    for (const ok of ["127.0.0.1:2379", "[::1]:5", "x_y:1", "a:b:c", "foo%20", "UPPER.case-9~!$&'()*+,;=:1"]) expect(isAcceptedAuthority(ok)).toBe(true);
    for (const bad of ["", "http://h:1", "a b", "a/b", "a@b", "a?b", "a#b", "a\\b", "a{b", "a\x80b"]) expect(isAcceptedAuthority(bad)).toBe(false);
  });

  test("accepted values are left alone", () => {
    expect(acceptedAuthority("127.0.0.1:2379")).toBeNull();
    expect(acceptedAuthority("")).toBeNull();
  });

  test("a URL-shaped value becomes host:port with a zero-padded port, same length, same host and port", () => {
    const cases: [value: string, fixed: string, host: string][] = [
      ["http://127.0.0.1:2379", "127.0.0.1:00000002379", "127.0.0.1:2379"],
      ["https://localhost:2379", "localhost:000000002379", "localhost:2379"],
      ["passthrough:///http://127.0.0.1:2379", "127.0.0.1:" + "0".repeat(22) + "2379", "127.0.0.1:2379"],
      ["dns:///[::1]:2379", "[::1]:00000002379", "[::1]:2379"],
      ["http://user@h:5/path?q", "h:00000000000000000005", "h:5"],
    ];
    for (const [value, fixed, host] of cases) {
      expect(acceptedAuthority(value)).toBe(fixed);
      expect(fixed.length).toBe(value.length);
      expect(new URL(`http://${fixed}/`).host).toBe(host);
    }
  });

  test("without a usable host:port each refused octet becomes '-'", () => {
    expect(acceptedAuthority("http://localhost")).toBe("http:--localhost");
    expect(acceptedAuthority("a b/c")).toBe("a-b-c");
    expect(acceptedAuthority("http://{x}:1")).toBe("http:---x-:1");
  });
});
