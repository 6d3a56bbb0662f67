// A set of watchers indexed for event matching (etcd mvcc/watcher_group.go watcherGroup): single-key
// watchers by key, range watchers in a list scanned per event (etcd uses an interval tree; this is O(number
// of range watchers) per event, fine for hundreds, slow for many thousands).
// Invariant: every watcher in `keyed` or `ranged` is in `all`, and the other way round.

import type { Watcher } from "./watcher.ts";
import { byteKey } from "../bytes/compare.ts";

const idOf = byteKey;
const NONE: readonly Watcher[] = [];

export class WatcherGroup {
  private readonly keyed = new Map<string, Set<Watcher>>();
  private readonly ranged = new Set<Watcher>();
  readonly all = new Set<Watcher>();

  get size(): number {
    return this.all.size;
  }

  has(w: Watcher): boolean {
    return this.all.has(w);
  }

  add(w: Watcher): void {
    if (this.all.has(w)) throw new Error("mvcc: add watcher twice");
    this.all.add(w);
    if (w.isRange) {
      this.ranged.add(w);
      return;
    }
    const id = w.keyId;
    let set = this.keyed.get(id);
    if (set === undefined) this.keyed.set(id, (set = new Set()));
    set.add(w);
  }

  delete(w: Watcher): boolean {
    if (!this.all.delete(w)) return false;
    if (w.isRange) {
      this.ranged.delete(w);
      return true;
    }
    const id = w.keyId;
    const set = this.keyed.get(id);
    set?.delete(w);
    if (set?.size === 0) this.keyed.delete(id);
    return true;
  }

  /** True when some watcher of the group covers key (etcd contains). */
  contains(key: Uint8Array): boolean {
    if (this.keyed.has(idOf(key))) return true;
    for (const w of this.ranged) if (w.covers(key)) return true;
    return false;
  }

  /**
   * The watchers covering key (etcd watcherSetByKey). With no range watchers this is the group's own set for the
   * key, not a copy: callers may delete from the group while iterating it (a Set iterator allows that), not add.
   */
  watchersOf(key: Uint8Array): Iterable<Watcher> {
    const set = this.keyed.get(idOf(key));
    if (this.ranged.size === 0) return set ?? NONE;
    const out: Watcher[] = set === undefined ? [] : [...set];
    for (const w of this.ranged) if (w.covers(key)) out.push(w);
    return out;
  }
}
