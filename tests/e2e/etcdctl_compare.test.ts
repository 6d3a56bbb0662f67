// The real etcdctl 3.4 against a real etcd and against the target (E2E_TARGET, default bunetcd), the same
// command script on both, in lockstep: exit codes, stdout and stderr must match once cluster-specific values
// (ids, terms, versions, ports, db sizes) are masked. Covers every Range option etcdctl exposes and every
// output format, deletes, txn (stdin, interactive and not), compaction, status/member list, and errors
// (empty key, a request over --max-request-bytes, compacted and future revisions).
import { describe, expect, test } from "bun:test";
import {
  DeleteRangeResponseSchema, PutResponseSchema, RangeResponseSchema, TxnResponseSchema,
} from "../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { compareSteps, type Step, steps } from "../support/etcdctl_compare.ts";
import { refAndTarget } from "../support/pair.ts";

const SLOW = 60_000;
const pair = refAndTarget("e2e-etcdctl-", ["--max-request-bytes", "2048"]);

async function expectSame(script: Step[]) {
  const { ref, sut } = pair.both();
  expect(await compareSteps(ref.endpoint, sut.endpoint, script)).toEqual([]);
}

const WRITERS = ["simple", "json", "fields"];
const withWriters = (cmd: string) => [...WRITERS.map((w) => `${cmd} -w ${w}`), { args: [...cmd.split(" "), "-w", "protobuf"], pb: RangeResponseSchema }];

describe(`etcdctl: etcd vs ${pair.name}`, () => {
  test("put (plain, --prev-kv, from stdin, all writers)", () =>
    expectSame(steps([
      "put a 3", "put b 1", "put c 2", "put a 1 --prev-kv", "put d 0", "put b 9 -w json",
      "put pre/x 1", "put pre/y 2", "put pre/z 3", "put pre0 4", "put pre/x 5 --prev-kv -w json",
      "put e 7 -w fields", { args: ["put", "f", "8", "-w", "protobuf"], pb: PutResponseSchema },
      { args: ["put", "spaced"], stdin: "a value with spaces" },
      { args: ["put", "--", "-dash", "v"] },
      "put bin \x01\x02", "get a -w simple", "put a 4 --ignore-value", "put a --ignore-value", "get a",
    ])), SLOW);

  test("get: every Range option and writer", () =>
    expectSame(steps([
      "get a", "get nope", "get a c", "get a --print-value-only", "get --hex a",
      ...["--prefix pre/", "--prefix ''", "--from-key c", "--from-key pre", "a --limit 2", "--prefix pre --limit 2"].flatMap((o) => withWriters(`get ${o}`)),
      ...["ASCEND", "DESCEND"].flatMap((order) => ["KEY", "VERSION", "CREATE", "MODIFY", "VALUE"].flatMap((by) => [
        `get --from-key a --order ${order} --sort-by ${by}`, `get --prefix pre --order ${order} --sort-by ${by} --limit 2 -w json`,
      ])),
      "get --from-key a --order DESCEND", "get --from-key a --sort-by VALUE", "get --from-key a --order ascend",
      "get --prefix pre --keys-only", "get --prefix pre --keys-only -w json", "get --prefix pre --count-only",
      "get --prefix pre --count-only -w json", "get --from-key a --count-only --limit 1 -w json",
      "get --prefix pre --keys-only --count-only -w fields",
      ...withWriters("get a --rev 2"), "get a --rev 3", "get --prefix pre --rev 8 -w json", "get --from-key a --rev 5 -w fields",
      "get a --consistency s", "get --prefix pre --consistency s -w json", "get a --consistency l",
      "get a --order SIDEWAYS", "get a --sort-by SIZE", "get a b c", "get", "get --prefix a --from-key",
    ])), SLOW);

  test("del: single, range, --prefix, --prev-kv, --from-key", () =>
    expectSame(steps([
      "del nope", "del a", "get a", "del b c --prev-kv", "del pre/ --prefix --prev-kv -w json", "get --from-key a",
      "put k1 1", "put k2 2", "put k3 3", "put k4 4", { args: ["del", "k3", "--from-key", "-w", "protobuf"], pb: DeleteRangeResponseSchema },
      "del k1 --prev-kv -w fields", "del --prefix zz", "get --from-key a -w json", "del", "del a b c",
    ])), SLOW);

  const txnScript = (lines: string[][]) => lines.map((l) => l.join("\n")).join("\n\n") + "\n\n";
  const txn = (cmps: string[], ok: string[], fail: string[], extra: string[] = []): Step => ({ args: ["txn", ...extra], stdin: txnScript([cmps, ok, fail]) });
  test("txn: value/version/create/mod compares with = > < !=, success and failure branches", () =>
    expectSame(steps([
      "put t1 v1", "put t2 v2", "put t1 v1b", "put t3 0",
      txn(['value("t1") = "v1b"'], ["put t1 won", "get t1"], ["get t2"]),
      txn(['value("t1") = "nope"'], ["put t1 lost"], ["get t1", "del t2"]),
      txn(['value("t1") != "nope"', 'value("t1") > "a"', 'value("t1") < "zzz"'], ["get --prefix t"], [], ["-w", "json"]),
      txn(['version("t1") = "3"'], ["put t4 x --prev-kv"], ["get t1"], ["-i"]),
      txn(['version("t1") > "1"', 'version("t3") < "2"'], ["del t3 --prev-kv"], []),
      txn(['version("t3") != "0"'], [], ["put t3 back"], ["-w", "fields"]),
      txn(['create("t1") = "0"'], ["get t1"], ["get t2"]),
      txn(['create("t2") > "1"', 'create("t4") < "100"', 'create("t9") != "5"'], ["get --from-key t --keys-only"], ["get t9"]),
      txn(['mod("t1") > "0"', 'mod("t1") < "100"'], ["put t5 y", "get --prefix t --limit 2 --order DESCEND"], []),
      txn(['mod("t1") = "1"', 'mod("t2") != "2"'], [], ["get t1 --rev 2"]),
      { ...txn(['value("t1") = "won"'], ["put t6 z"], ["put t6 q"]), pb: TxnResponseSchema, args: ["txn", "-w", "protobuf"] },
      txn([], ["put t7 a", "put t8 b"], []),
      txn(['value("t1") = "won"'], ["put t1 a", "put t1 b"], []),
      txn(["bogus compare"], [], []), txn([], ["frobnicate t1"], []),
      "get --prefix t -w json",
    ])), SLOW);

  test("compaction, and reads at compacted / future revisions", () =>
    expectSame(steps([
      "put cmp 1", "put cmp 2", "put cmp 3", "get cmp -w json", "compaction 5", "get cmp --rev 4", "get cmp --rev 5",
      "get cmp --rev 6", "compaction 3", "compaction 5", "compaction 100000", "get cmp --rev 100000",
      "compaction 7 --physical", "get --from-key a --rev 6 -w json", "compaction", "compaction x",
    ])), SLOW);

  test("endpoint status, member list, endpoint health (masked)", () =>
    expectSame(steps([
      "endpoint status -w json", "endpoint status -w fields", "member list -w json", "member list -w fields",
      "endpoint health -w json",
    ])), SLOW);

  test("errors: empty key, request over --max-request-bytes, bad flags", () =>
    expectSame(steps([
      "put", "put '' v", { args: ["put", "", "v"] }, { args: ["get", ""] }, { args: ["del", ""] },
      { args: ["put", "big", "x".repeat(3000)] }, { args: ["put", "big"], stdin: "y".repeat(2100) },
      { args: ["put", "fits", "x".repeat(1500)] }, "get fits --print-value-only",
      txn([], Array.from({ length: 40 }, (_, i) => `put k${i} ${"v".repeat(60)}`), []),
      "get --prefix k --count-only", "put a b c", "get a --limit x", "put a b --lease zz", "put a b --lease 1234",
    ])), SLOW);
});
