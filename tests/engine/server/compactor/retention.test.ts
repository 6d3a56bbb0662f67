// --auto-compaction-retention as etcd 3.4 reads it (embed parseCompactionRetention), and Go's Duration format
// (engine/server/go_duration.ts) the compactor logs it with.
import { expect, test } from "bun:test";
import { parseAutoCompaction } from "../../../../engine/server/compactor/retention.ts";
import { goDuration } from "../../../../engine/server/go_duration.ts";

test("bare numbers are hours (periodic) or revisions (revision); 0 disables", () => {
  expect(parseAutoCompaction("periodic", "0")).toBeNull();
  expect(parseAutoCompaction("revision", "0")).toBeNull();
  expect(parseAutoCompaction("periodic", "1")).toEqual({ mode: "periodic", periodMs: 3_600_000 });
  expect(parseAutoCompaction("periodic", "72")).toEqual({ mode: "periodic", periodMs: 72 * 3_600_000 });
  expect(parseAutoCompaction("revision", "1000")).toEqual({ mode: "revision", retention: 1000 });
});

test("durations: the period; in revision mode their nanoseconds, as etcd does", () => {
  expect(parseAutoCompaction("periodic", "30m")).toEqual({ mode: "periodic", periodMs: 1_800_000 });
  expect(parseAutoCompaction("periodic", "1s")).toEqual({ mode: "periodic", periodMs: 1000 });
  expect(parseAutoCompaction("periodic", "1h30m")).toEqual({ mode: "periodic", periodMs: 5_400_000 });
  expect(parseAutoCompaction("revision", "1h")).toEqual({ mode: "revision", retention: 3_600_000_000_000 });
  expect(parseAutoCompaction("periodic", "0s")).toBeNull();
});

test("bad values fail with etcd's messages", () => {
  expect(() => parseAutoCompaction("periodic", "foo")).toThrow('error parsing CompactionRetention: time: invalid duration "foo"');
  expect(() => parseAutoCompaction("periodic", "-1")).toThrow('error parsing CompactionRetention: time: missing unit in duration "-1"');
  expect(() => parseAutoCompaction("", "1h")).toThrow("unsupported compaction mode ");
  expect(parseAutoCompaction("", "5")).toBeNull();
});

test("Go's time.Duration.String", () => {
  expect([3_600_000, 1_800_000, 1000, 1500, 100, 0.5, 0, 90_061_000, 360_000].map(goDuration)).toEqual([
    "1h0m0s", "30m0s", "1s", "1.5s", "100ms", "500µs", "0s", "25h1m1s", "6m0s",
  ]);
});
