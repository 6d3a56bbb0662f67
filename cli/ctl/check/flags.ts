// The flags `check perf` and `check datascale` share (their --load/--prefix differ only in help and default).
import type { FlagSpec } from "../flags.ts";

export function checkFlags(what: string, prefix: string): FlagSpec[] {
  return [
    { name: "auto-compact", kind: "bool", def: "false", usage: "Compact storage with last revision after test is finished." },
    { name: "auto-defrag", kind: "bool", def: "false", usage: "Defragment storage after test is finished." },
    { name: "load", kind: "string", def: "s", usage: `The ${what} check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)` },
    { name: "prefix", kind: "string", def: prefix, usage: `The prefix for writing the ${what} check's keys.` },
  ];
}
