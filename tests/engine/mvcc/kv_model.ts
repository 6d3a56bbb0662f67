// Naive reference model of the MVCC store for randomized tests: every change of every key kept in a list.
// Reads at a revision replay the list; nothing is clever so that it can be trusted.
import { compareBytes } from "../../../engine/bytes/compare.ts";

export interface ModelChange {
  main: number;
  sub: number;
  tomb: boolean;
  value: string;
  lease: bigint;
}

export interface ModelKv {
  key: string;
  createRevision: number;
  modRevision: number;
  version: number;
  value: string;
  lease: bigint;
}

const enc = new TextEncoder();
export const bytes = (s: string) => enc.encode(s);

export class KvModel {
  readonly changes = new Map<string, ModelChange[]>();
  rev = 1;
  compacted = -1;

  get(key: string, at: number): ModelKv | undefined {
    const list = this.changes.get(key) ?? [];
    let last = -1;
    for (let i = 0; i < list.length && list[i].main <= at; i++) last = i;
    if (last < 0 || list[last].tomb) return undefined;
    let first = last;
    while (first > 0 && !list[first - 1].tomb) first--;
    const c = list[last];
    return { key, createRevision: list[first].main, modRevision: c.main, version: last - first + 1, value: c.value, lease: c.lease };
  }

  /** Keys of [key, end) ("" end = single key, "\0" = all ≥ key) live at `at`, in byte order. */
  range(key: string, end: string, at: number): ModelKv[] {
    const keys = [...this.changes.keys()].filter((k) =>
      end === "" ? k === key : compareBytes(bytes(k), bytes(key)) >= 0 && (end === "\0" || compareBytes(bytes(k), bytes(end)) < 0),
    );
    keys.sort((a, b) => compareBytes(bytes(a), bytes(b)));
    return keys.map((k) => this.get(k, at)).filter((kv): kv is ModelKv => kv !== undefined);
  }

  /** Applies one txn's writes: puts and deletes in order, one revision if anything changed. */
  write(ops: ({ put: string; value: string; lease?: bigint } | { del: string; end: string })[]): number {
    const main = this.rev + 1;
    let sub = 0;
    for (const op of ops) {
      if ("put" in op) {
        this.push(op.put, { main, sub: sub++, tomb: false, value: op.value, lease: op.lease ?? 0n });
      } else {
        for (const kv of this.range(op.del, op.end, main)) this.push(kv.key, { main, sub: sub++, tomb: true, value: "", lease: 0n });
      }
    }
    if (sub > 0) this.rev = main;
    return sub;
  }

  private push(key: string, c: ModelChange): void {
    const list = this.changes.get(key) ?? [];
    list.push(c);
    this.changes.set(key, list);
  }
}
