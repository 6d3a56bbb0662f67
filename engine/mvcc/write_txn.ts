// WriteTxn: one write transaction of the store (etcd storeTxnWrite, mvcc/kvstore_txn.go). Every change gets
// revision {beginRev + 1, sub} with sub = the number of changes before it; reads inside the txn see its own
// changes. end() makes the txn's revision current if it changed anything.
// Invariants: a txn with no changes leaves currentRev alone; puts/deletes go to the `key` bucket (tombstones
// carry the 't' mark and a KeyValue holding only the key) and to the treeIndex together. A put's change
// references the caller's key and value (the backend and the index hold copies): valid until the call returns.

import { RevisionNotFoundError } from "./errors.ts";
import { encodeKeyValue, keyValue, type KeyValue } from "./key_value.ts";
import type { KvState, KvView, RangeOptions, RangeResult } from "./kv_state.ts";
import { revToBytes } from "./revision.ts";
import { KEY_BUCKET } from "./schema.ts";

export class WriteTxn implements KvView {
  readonly changes: KeyValue[] = [];
  readonly beginRev: number;
  readonly firstRev = 0;
  private ended = false;

  constructor(private readonly s: KvState) {
    this.beginRev = s.currentRev;
  }

  /** etcd storeTxnWrite.Rev(): the revision the txn began at. */
  get rev(): number {
    return this.beginRev;
  }

  /** The revision reads see: this txn's own once it changed something. */
  private readRev(): number {
    return this.changes.length > 0 ? this.beginRev + 1 : this.beginRev;
  }

  range(key: Uint8Array, end: Uint8Array | undefined, ro?: RangeOptions): RangeResult {
    return this.s.rangeKeys(key, end, this.readRev(), ro);
  }

  /** Writes key = value with lease; returns the txn's revision (etcd Put). */
  put(key: Uint8Array, value: Uint8Array, lease: bigint): number {
    const rev = this.beginRev + 1;
    const idxRev = { main: rev, sub: this.changes.length };
    const prev = this.s.index.getAndPut(key, idxRev);
    const kv = keyValue({ key, value, createRevision: prev ? prev.created.main : rev, modRevision: rev, version: (prev?.version ?? 0) + 1, lease });
    this.s.batch.put(KEY_BUCKET, revToBytes(idxRev), encodeKeyValue(kv));
    this.changes.push(kv); // the caller's key and value, not copied: the watchable copies them for events
    const leases = this.s.leases;
    if (leases !== undefined) {
      const old = prev ? leases.leaseOf(key) : 0n;
      if (old !== 0n) leases.detach(old, key);
      if (lease !== 0n) leases.attach(lease, key);
    }
    return rev;
  }

  /** Deletes the keys of [key, end) live now; returns [deleted, revision of the response] (etcd DeleteRange). */
  deleteRange(key: Uint8Array, end: Uint8Array | undefined): [deleted: number, rev: number] {
    const keys = this.s.index.range(key, end, this.readRev()).keys;
    for (const k of keys) this.delete(k);
    return keys.length > 0 || this.changes.length > 0 ? [keys.length, this.beginRev + 1] : [0, this.beginRev];
  }

  private delete(key: Uint8Array): void {
    const idxRev = { main: this.beginRev + 1, sub: this.changes.length };
    const kv = keyValue({ key: key.slice() });
    this.s.batch.put(KEY_BUCKET, revToBytes(idxRev, true), encodeKeyValue(kv));
    try {
      this.s.index.tombstone(key, idxRev);
    } catch (e) {
      if (e instanceof RevisionNotFoundError) throw new Error(`mvcc: cannot tombstone an existing key: ${e.message}`);
      throw e;
    }
    this.changes.push(kv);
    const leases = this.s.leases;
    if (leases !== undefined) {
      const id = leases.leaseOf(key);
      if (id !== 0n) leases.detach(id, key);
    }
  }

  /** Ends the txn: its revision becomes current if it changed anything. Returns the changes. */
  end(): KeyValue[] {
    if (this.ended) throw new Error("mvcc: write txn ended twice");
    this.ended = true;
    if (this.changes.length > 0) this.s.currentRev = this.beginRev + 1;
    return this.changes;
  }
}
