// Go's strconv parsing with Go's error texts, as etcdctl reports them: ParseInt/ParseUint in a base, and
// Go string-literal unquoting (%q scanning in txn compares, argify's double-quoted words).

const range64 = { signed: [-(2n ** 63n), 2n ** 63n - 1n], unsigned: [0n, 2n ** 64n - 1n] } as const;

/** strconv.ParseInt(s, base, 64) / ParseUint; throws Error("strconv.ParseInt: parsing \"s\": invalid syntax"). */
export function goParseInt(s: string, base: 10 | 16, unsigned = false): bigint {
  const fn = unsigned ? "ParseUint" : "ParseInt";
  const fail = (why: string) => new Error(`strconv.${fn}: parsing ${JSON.stringify(s)}: ${why}`);
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/;
  let body = s;
  let neg = false;
  if (!unsigned && (body[0] === "+" || body[0] === "-")) {
    neg = body[0] === "-";
    body = body.slice(1);
  }
  if (!digits.test(body)) throw fail("invalid syntax");
  let v = BigInt(base === 16 ? `0x${body}` : body);
  if (neg) v = -v;
  const [lo, hi] = unsigned ? range64.unsigned : range64.signed;
  if (v < lo || v > hi) throw fail("value out of range");
  return v;
}

/** Go's strconv.Unquote for "…" and `…` literals; undefined when malformed. */
export function goUnquote(lit: string): string | undefined {
  if (lit.length >= 2 && lit[0] === "`" && lit.endsWith("`")) return lit.slice(1, -1);
  if (lit.length < 2 || lit[0] !== '"' || !lit.endsWith('"')) return undefined;
  const body = lit.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') return undefined;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };
    if (e !== undefined && simple[e] !== undefined) out += simple[e];
    else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const h = body.slice(i + 1, i + 1 + n);
      if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== n) return undefined;
      out += String.fromCodePoint(Number.parseInt(h, 16));
      i += n;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) return undefined;
      out += String.fromCharCode(Number.parseInt(o, 8));
      i += 2;
    } else return undefined;
  }
  return out;
}
