// The pieces of `snapshot status` output that etcdctl takes from Go libraries: go-humanize's Bytes (SI units,
// one decimal below 10, Go's round-half-to-even for %.0f) and tablewriter's layout.
import { expect, test } from "bun:test";
import { humanizeBytes } from "../../../cli/snapshot/humanize.ts";
import { renderTable } from "../../../cli/snapshot/table.ts";

test("humanizeBytes matches go-humanize's Bytes", () => {
  const cases: [number, string][] = [
    [0, "0 B"], [9, "9 B"], [10, "10 B"], [999, "999 B"], [1000, "1.0 kB"], [1500, "1.5 kB"], [8192, "8.2 kB"],
    [10_500, "10 kB"], [11_500, "12 kB"], [24_576, "25 kB"], [999_949, "1000 kB"], [1_000_000, "1.0 MB"],
    [82_854_982, "83 MB"], [2_147_483_648, "2.1 GB"],
  ];
  expect(cases.map(([n]) => [n, humanizeBytes(n)])).toEqual(cases);
});

test("renderTable: upper-cased centred titles, right-aligned cells, borders", () => {
  expect(renderTable(["hash", "total_size"], [["1", "25 kB"], ["abcdef", "7"]])).toBe(
    [
      "+--------+------------+",
      "|  HASH  | TOTAL SIZE |",
      "+--------+------------+",
      "|      1 |      25 kB |",
      "| abcdef |          7 |",
      "+--------+------------+",
      "",
    ].join("\n"),
  );
});
