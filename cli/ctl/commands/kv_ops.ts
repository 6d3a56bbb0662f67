// The request builders shared by get/put/del and txn's request lines (etcdctl's getGetOp, getPutOp,
// getDelOp): argument checks with etcdctl's messages and exit codes, clientv3's option semantics
// (prefix → range end, from-key, sort defaults). Pure over (args, flags): txn calls them once per line.
import { create } from "@bufbuild/protobuf";
import {
  type DeleteRangeRequest, DeleteRangeRequestSchema, type PutRequest, PutRequestSchema, type RangeRequest,
  RangeRequest_SortOrder, RangeRequest_SortTarget, RangeRequestSchema,
} from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { CtlError, ExitBadArgs, ExitBadFeature } from "../errors.ts";
import type { FlagSet, FlagSpec } from "../flags.ts";
import { goParseInt } from "../go_parse.ts";
import { prefixEnd } from "../../../engine/bytes/prefix_end.ts";

const enc = new TextEncoder();

export const GET_FLAGS: FlagSpec[] = [
  { name: "consistency", kind: "string", def: "l", usage: "Linearizable(l) or Serializable(s)" },
  { name: "from-key", kind: "bool", def: "false", usage: "Get keys that are greater than or equal to the given key using byte compare" },
  { name: "keys-only", kind: "bool", def: "false", usage: "Get only the keys" },
  { name: "limit", kind: "int", def: "0", usage: "Maximum number of results" },
  { name: "order", kind: "string", def: "", usage: "Order of results; ASCEND or DESCEND (ASCEND by default)" },
  { name: "prefix", kind: "bool", def: "false", usage: "Get keys with matching prefix" },
  { name: "print-value-only", kind: "bool", def: "false", usage: 'Only write values when using the "simple" output format' },
  { name: "rev", kind: "int", def: "0", usage: "Specify the kv revision" },
  { name: "sort-by", kind: "string", def: "", usage: "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION" },
];

/** bunetcd's extras on get (not accepted when invoked as etcdctl). */
export const GET_EXTRA_FLAGS: FlagSpec[] = [
  { name: "count-only", kind: "bool", def: "false", usage: "Get only the count" },
  { name: "history", kind: "bool", def: "false", usage: "Print every retained revision of the key, oldest first" },
];

export const PUT_FLAGS: FlagSpec[] = [
  { name: "ignore-lease", kind: "bool", def: "false", usage: "updates the key using its current lease" },
  { name: "ignore-value", kind: "bool", def: "false", usage: "updates the key using its current value" },
  { name: "lease", kind: "string", def: "0", usage: "lease ID (in hexadecimal) to attach to the key" },
  { name: "prev-kv", kind: "bool", def: "false", usage: "return the previous key-value pair before modification" },
];

export const DEL_FLAGS: FlagSpec[] = [
  { name: "from-key", kind: "bool", def: "false", usage: "delete keys that are greater than or equal to the given key using byte compare" },
  { name: "prefix", kind: "bool", def: "false", usage: "delete keys with matching prefix" },
  { name: "prev-kv", kind: "bool", def: "false", usage: "return deleted key-value pairs" },
];

/** key and range end for --prefix / --from-key / [range_end], as etcdctl + clientv3 compute them. */
function keyRange(args: string[], prefix: boolean, fromKey: boolean): { key: Uint8Array; rangeEnd: Uint8Array } {
  let key: Uint8Array = enc.encode(args[0]!);
  let rangeEnd: Uint8Array = new Uint8Array();
  if (args.length > 1) {
    if (prefix || fromKey) throw new CtlError(ExitBadArgs, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set");
    rangeEnd = enc.encode(args[1]!);
  }
  if (prefix) {
    if (key.length === 0) {
      key = new Uint8Array([0]);
      rangeEnd = new Uint8Array([0]);
    } else rangeEnd = prefixEnd(key);
  }
  if (fromKey) {
    if (key.length === 0) key = new Uint8Array([0]);
    rangeEnd = new Uint8Array([0]);
  }
  return { key, rangeEnd };
}

const SORT_TARGETS: Record<string, RangeRequest_SortTarget> = {
  CREATE: RangeRequest_SortTarget.CREATE,
  KEY: RangeRequest_SortTarget.KEY,
  MODIFY: RangeRequest_SortTarget.MOD,
  VALUE: RangeRequest_SortTarget.VALUE,
  VERSION: RangeRequest_SortTarget.VERSION,
  "": RangeRequest_SortTarget.KEY,
};

export function getOp(args: string[], f: FlagSet): RangeRequest {
  if (args.length === 0) throw new CtlError(ExitBadArgs, "get command needs one argument as key and an optional argument as range_end");
  const prefix = f.bool("prefix");
  const fromKey = f.bool("from-key");
  if (prefix && fromKey) throw new CtlError(ExitBadArgs, "`--prefix` and `--from-key` cannot be set at the same time, choose one");
  const consistency = f.str("consistency");
  if (consistency !== "s" && consistency !== "l") throw new CtlError(ExitBadFeature, `unknown consistency flag ${JSON.stringify(consistency)}`);
  const { key, rangeEnd } = keyRange(args, prefix, fromKey);
  const order = f.str("order").toUpperCase();
  let sortOrder = RangeRequest_SortOrder.NONE;
  if (order === "ASCEND") sortOrder = RangeRequest_SortOrder.ASCEND;
  else if (order === "DESCEND") sortOrder = RangeRequest_SortOrder.DESCEND;
  else if (order !== "") throw new CtlError(ExitBadFeature, `bad sort order ${f.str("order")}`);
  const sortTarget = SORT_TARGETS[f.str("sort-by").toUpperCase()];
  if (sortTarget === undefined) throw new CtlError(ExitBadFeature, `bad sort target ${f.str("sort-by")}`);
  // clientv3.WithSort: ascending by key is the server's natural order
  if (sortTarget === RangeRequest_SortTarget.KEY && sortOrder === RangeRequest_SortOrder.ASCEND) sortOrder = RangeRequest_SortOrder.NONE;
  const rev = f.int("rev");
  return create(RangeRequestSchema, {
    key,
    rangeEnd,
    limit: f.int("limit"),
    revision: rev > 0n ? rev : 0n,
    sortOrder,
    sortTarget,
    serializable: consistency === "s",
    keysOnly: f.bool("keys-only"),
    countOnly: f.spec("count-only") ? f.bool("count-only") : false,
  });
}

/** etcdctl getPutOp; `stdin` is read only when the value is not an argument. */
export async function putOp(args: string[], f: FlagSet, stdin: () => Promise<Uint8Array>): Promise<PutRequest> {
  const needs = "put command needs 1 argument and input from stdin or 2 arguments";
  if (args.length === 0) throw new CtlError(ExitBadArgs, needs);
  const ignoreValue = f.bool("ignore-value");
  if (ignoreValue && args.length > 1) throw new CtlError(ExitBadArgs, "put command needs only 1 argument when 'ignore-value' is set");
  let value: Uint8Array = new Uint8Array();
  if (!ignoreValue) {
    if (args.length > 1) value = enc.encode(args[1]!);
    else {
      value = await stdin();
      if (value.length === 0) throw new CtlError(ExitBadArgs, needs);
    }
  }
  let lease: bigint;
  try {
    lease = goParseInt(f.str("lease"), 16);
  } catch (e) {
    throw new CtlError(ExitBadArgs, `bad lease ID (${(e as Error).message}), expecting ID in Hex`);
  }
  return create(PutRequestSchema, {
    key: enc.encode(args[0]!),
    value,
    lease,
    prevKv: f.bool("prev-kv"),
    ignoreValue,
    ignoreLease: f.bool("ignore-lease"),
  });
}

export function delOp(args: string[], f: FlagSet): DeleteRangeRequest {
  if (args.length === 0 || args.length > 2) throw new CtlError(ExitBadArgs, "del command needs one argument as key and an optional argument as range_end");
  const prefix = f.bool("prefix");
  const fromKey = f.bool("from-key");
  if (prefix && fromKey) throw new CtlError(ExitBadArgs, "`--prefix` and `--from-key` cannot be set at the same time, choose one");
  const { key, rangeEnd } = keyRange(args, prefix, fromKey);
  return create(DeleteRangeRequestSchema, { key, rangeEnd, prevKv: f.bool("prev-kv") });
}
