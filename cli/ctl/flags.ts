// A pflag-compatible command-line parser for the etcdctl client: long (--name=v, --name v), short (-w v, -wv,
// combined bools), `--` ends flags, flags and arguments interleave (cobra's default). Errors carry pflag's exact
// messages, which etcdctl prints. String-slice flags replace their default on the first set and append after
// (pflag's StringSlice), splitting each value on commas.
// Invariant: parsing never looks at the environment; env defaults are applied by env.ts on the parsed set.

export type FlagKind = "bool" | "string" | "int" | "duration" | "stringSlice";

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** Default as pflag prints it (DefValue): "false", "\"\"" is shown from "", "2s", "[127.0.0.1:2379]". */
  def: string;
  usage: string;
}

export type FlagValue = boolean | string | bigint | number | string[];

export class FlagError extends Error {}

/** A parsed set: values by flag name (durations in ms), which flags were set, and the positional arguments. */
export class FlagSet {
  readonly values = new Map<string, FlagValue>();
  readonly changed = new Set<string>();
  args: string[] = [];
  /** index in args where `--` was found, -1 when none (cobra's ArgsLenAtDash) */
  dashAt = -1;

  constructor(readonly specs: FlagSpec[]) {
    for (const s of specs) this.values.set(s.name, parseValue(s, s.kind === "stringSlice" ? s.def.slice(1, -1) : s.def));
  }

  spec(name: string): FlagSpec | undefined {
    return this.specs.find((s) => s.name === name);
  }

  /** Sets a flag from text (command line or environment), as pflag's Set. */
  set(name: string, text: string): void {
    const s = this.spec(name);
    if (!s) throw new FlagError(`no such flag -${name}`);
    let v = parseValue(s, text);
    if (s.kind === "stringSlice" && this.changed.has(name)) v = [...(this.values.get(name) as string[]), ...(v as string[])];
    this.values.set(name, v);
    this.changed.add(name);
  }

  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }
  str(name: string): string {
    return this.values.get(name) as string;
  }
  int(name: string): bigint {
    return this.values.get(name) as bigint;
  }
  /** Duration in milliseconds. */
  ms(name: string): number {
    return this.values.get(name) as number;
  }
  list(name: string): string[] {
    return this.values.get(name) as string[];
  }
}

function flagLabel(s: FlagSpec): string {
  return s.short ? `-${s.short}, --${s.name}` : `--${s.name}`;
}

function parseValue(s: FlagSpec, text: string): FlagValue {
  const bad = (why: string) => new FlagError(`invalid argument ${goQuoteString(text)} for ${goQuoteString(flagLabel(s))} flag: ${why}`);
  switch (s.kind) {
    case "bool": {
      const b = parseGoBool(text);
      if (b === undefined) throw bad(`strconv.ParseBool: parsing ${goQuoteString(text)}: invalid syntax`);
      return b;
    }
    case "string":
      return text;
    case "int": {
      if (!/^[+-]?\d+$/.test(text)) throw bad(`strconv.ParseInt: parsing ${goQuoteString(text)}: invalid syntax`);
      const v = BigInt(text);
      if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) throw bad(`strconv.ParseInt: parsing ${goQuoteString(text)}: value out of range`);
      return v;
    }
    case "duration": {
      const ms = parseGoDuration(text);
      if (ms === undefined) throw bad(`time: invalid duration ${goQuoteString(text)}`);
      return ms;
    }
    case "stringSlice":
      return text === "" ? [] : text.split(",");
  }
}

export function parseGoBool(t: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(t)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(t)) return false;
  return undefined;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds (fractional below 1 ms). */
export function parseGoDuration(t: string): number | undefined {
  let s = t;
  let sign = 1;
  if (s[0] === "-" || s[0] === "+") {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/.exec(s);
    if (!m || (m[1] === "" && (m[2] ?? "") === "") || UNIT_MS[m[3]!] === undefined) return undefined;
    total += Number(`${m[1] || "0"}.${m[2] ?? "0"}`) * UNIT_MS[m[3]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** Go's %q of a string made of ASCII-safe text (flag names and values as typed). */
export function goQuoteString(s: string): string {
  return JSON.stringify(s);
}

/**
 * Parses argv against specs (interspersed flags and args, as cobra). Throws FlagError with pflag's message.
 * `help` flags (-h/--help) are reported through the "help" value when present among specs.
 */
export function parseFlags(specs: FlagSpec[], argv: string[]): FlagSet {
  const fs = new FlagSet(specs);
  const byShort = (c: string) => specs.find((s) => s.short === c);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      fs.dashAt = fs.args.length;
      fs.args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const s = fs.spec(name);
      if (!s) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) fs.set(name, a.slice(eq + 1));
      else if (s.kind === "bool") fs.set(name, "true");
      else if (i + 1 < argv.length) fs.set(name, argv[++i]!);
      else throw new FlagError(`flag needs an argument: ${a}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      let rest = a.slice(1);
      while (rest.length > 0) {
        const c = rest[0]!;
        const s = byShort(c);
        if (!s) throw new FlagError(`unknown shorthand flag: '${c}' in -${rest}`);
        if (rest[1] === "=") {
          fs.set(s.name, rest.slice(2));
          break;
        }
        if (s.kind === "bool") {
          fs.set(s.name, "true");
          rest = rest.slice(1);
          continue;
        }
        if (rest.length > 1) fs.set(s.name, rest.slice(1));
        else if (i + 1 < argv.length) fs.set(s.name, argv[++i]!);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    fs.args.push(a);
  }
  return fs;
}
