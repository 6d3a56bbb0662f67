// Unit tests of the etcdctl flag parser (pflag semantics and messages) and of Go formatting helpers.
import { describe, expect, test } from "bun:test";
import { FlagError, parseFlags, parseGoDuration } from "../../../cli/ctl/flags.ts";
import { GLOBAL_FLAGS } from "../../../cli/ctl/global_flags.ts";
import { goQuote, humanizeBytes, goDuration } from "../../../cli/ctl/gofmt.ts";
import { renderTable } from "../../../cli/ctl/printer/tablewriter.ts";
import { tabwrite } from "../../../cli/ctl/tabwriter.ts";

const specs = [...GLOBAL_FLAGS, { name: "prefix", kind: "bool" as const, def: "false", usage: "" }, { name: "limit", kind: "int" as const, def: "0", usage: "" }];

describe("parseFlags", () => {
  test("interleaved flags, = and separate values, -- ends flags", () => {
    const fs = parseFlags(specs, ["a", "--prefix", "-w", "json", "--limit=3", "b", "--", "--not-a-flag"]);
    expect(fs.args).toEqual(["a", "b", "--not-a-flag"]);
    expect(fs.dashAt).toBe(2);
    expect(fs.bool("prefix")).toBe(true);
    expect(fs.str("write-out")).toBe("json");
    expect(fs.int("limit")).toBe(3n);
  });
  test("string slices replace the default, then append", () => {
    const fs = parseFlags(specs, ["--endpoints=a:1,b:2", "--endpoints", "c:3"]);
    expect(fs.list("endpoints")).toEqual(["a:1", "b:2", "c:3"]);
    expect(parseFlags(specs, []).list("endpoints")).toEqual(["127.0.0.1:2379"]);
  });
  test("pflag's error messages", () => {
    const msg = (argv: string[]) => {
      try {
        parseFlags(specs, argv);
        return "";
      } catch (e) {
        expect(e).toBeInstanceOf(FlagError);
        return (e as Error).message;
      }
    };
    expect(msg(["--bogus"])).toBe("unknown flag: --bogus");
    expect(msg(["-x"])).toBe("unknown shorthand flag: 'x' in -x");
    expect(msg(["-w"])).toBe("flag needs an argument: 'w' in -w");
    expect(msg(["--limit"])).toBe("flag needs an argument: --limit");
    expect(msg(["--limit=abc"])).toBe('invalid argument "abc" for "--limit" flag: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(msg(["--dial-timeout=abc"])).toBe('invalid argument "abc" for "--dial-timeout" flag: time: invalid duration "abc"');
  });
  test("Go durations", () => {
    expect(parseGoDuration("1m30s")).toBe(90_000);
    expect(parseGoDuration("300ms")).toBe(300);
    expect(parseGoDuration("1.5h")).toBe(5_400_000);
    expect(parseGoDuration("5")).toBeUndefined();
  });
});

describe("Go formatting", () => {
  test("%q, humanize.Bytes, Duration.String", () => {
    expect(goQuote(new Uint8Array([0x61, 0x0a, 0xff, 0x22]))).toBe('"a\\n\\xff\\""');
    expect(humanizeBytes(20480)).toBe("20 kB");
    expect(humanizeBytes(5)).toBe("5 B");
    expect(humanizeBytes(1_234_567)).toBe("1.2 MB");
    expect(goDuration(1.834604)).toBe("1.834604ms");
    expect(goDuration(2000)).toBe("2s");
  });
  test("tablewriter borders, centred headers, right-aligned cells", () => {
    expect(renderTable(["endpoint", "hash"], [["127.0.0.1:2379", "42"]])).toBe(
      "+----------------+------+\n|    ENDPOINT    | HASH |\n+----------------+------+\n| 127.0.0.1:2379 |   42 |\n+----------------+------+\n",
    );
  });
  test("tabwriter pads columns with tabs to multiples of 8", () => {
    expect(tabwrite("\tgrant\tCreates\n\tkeep-alive\tKeeps\n")).toBe("\tgrant\t\tCreates\n\tkeep-alive\tKeeps\n");
  });
});
