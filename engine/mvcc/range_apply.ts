// RangeRequest → RangeResponse on a view, with etcd's server-side semantics (etcdserver/apply.go Range):
// limit+1 is fetched to set `more`; sorting or min/max revision filters fetch everything first, then filter,
// sort (ascending by default when the target is not KEY) and truncate; `count` is the number of keys in the
// range before the min/max filters; keys_only drops values. Sorts are stable (Go's sort.Sort is not: ties
// may come out in another order in etcd for more than 12 results).

import type { KeyValue } from "./key_value.ts";
import type { KvView } from "./kv_state.ts";
import { compareBytes } from "../bytes/compare.ts";
import { type RangeRequest, type RangeResponse, SortOrder, SortTarget } from "./requests.ts";

const EMPTY = new Uint8Array(0);

type KvOrder = (a: KeyValue, b: KeyValue) => number;

const ORDER_BY_TARGET: Record<SortTarget, KvOrder> = {
  [SortTarget.KEY]: (a, b) => compareBytes(a.key, b.key),
  [SortTarget.VERSION]: (a, b) => a.version - b.version,
  [SortTarget.CREATE]: (a, b) => a.createRevision - b.createRevision,
  [SortTarget.MOD]: (a, b) => a.modRevision - b.modRevision,
  [SortTarget.VALUE]: (a, b) => compareBytes(a.value, b.value),
};

function needsEverything(r: RangeRequest): boolean {
  return (
    (r.sortOrder ?? SortOrder.NONE) !== SortOrder.NONE ||
    !!r.minModRevision || !!r.maxModRevision || !!r.minCreateRevision || !!r.maxCreateRevision
  );
}

function passesFilters(r: RangeRequest, kv: KeyValue): boolean {
  if (r.maxModRevision && kv.modRevision > r.maxModRevision) return false;
  if (r.minModRevision && kv.modRevision < r.minModRevision) return false;
  if (r.maxCreateRevision && kv.createRevision > r.maxCreateRevision) return false;
  if (r.minCreateRevision && kv.createRevision < r.minCreateRevision) return false;
  return true;
}

export function applyRange(view: KvView, r: RangeRequest): RangeResponse {
  const reqLimit = r.limit ?? 0;
  let limit = needsEverything(r) ? 0 : reqLimit;
  if (limit > 0) limit++;
  const rr = view.range(r.key, r.rangeEnd, { limit, rev: r.revision ?? 0, count: r.countOnly ?? false });
  let kvs = rr.kvs;
  if (r.minModRevision || r.maxModRevision || r.minCreateRevision || r.maxCreateRevision) {
    kvs = kvs.filter((kv) => passesFilters(r, kv));
  }
  const target = r.sortTarget ?? SortTarget.KEY;
  let order = r.sortOrder ?? SortOrder.NONE;
  if (target !== SortTarget.KEY && order === SortOrder.NONE) order = SortOrder.ASCEND;
  if (order !== SortOrder.NONE) {
    const cmp = ORDER_BY_TARGET[target];
    kvs.sort(order === SortOrder.DESCEND ? (a, b) => cmp(b, a) : cmp);
  }
  let more = false;
  if (reqLimit > 0 && kvs.length > reqLimit) {
    kvs = kvs.slice(0, reqLimit);
    more = true;
  }
  if (r.keysOnly) for (const kv of kvs) kv.value = EMPTY;
  return { header: { revision: rr.rev }, kvs, more, count: rr.count };
}
