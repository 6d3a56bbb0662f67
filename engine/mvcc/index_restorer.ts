// Rebuilds a TreeIndex from a scan of the backend's `key` bucket in revision order (etcd 3.4 kvstore.go
// restoreIntoIndex). Per stored entry: a key already indexed gets a put, or a tombstone if the bucket key
// carries the 't' mark (ignored if the key is not live, as etcd ignores that error); a key seen for the
// first time is restored mid-generation from its KeyValue (created = {create_revision, 0}, version), since
// compaction may have removed its earlier revisions; a first-seen tombstone is skipped.
// Invariant: entries must arrive in increasing revision order.

import { KeyIndex } from "./key_index.ts";
import type { KeyValue } from "./key_value.ts";
import { bytesToRev, isTombstone } from "./revision.ts";
import type { TreeIndex } from "./tree_index.ts";
import { copyBytes } from "../bytes/copy.ts";

export class IndexRestorer {
  /** The main revision of the last entry added (etcd's currentRev after restore; 1 when none). */
  currentRev = 1;

  constructor(readonly index: TreeIndex) {}

  /** Adds one bucket entry: revKey is the 17/18-byte bucket key, kv its decoded value. */
  add(revKey: Uint8Array, kv: KeyValue): void {
    const rev = bytesToRev(revKey);
    this.currentRev = rev.main;
    if (isTombstone(revKey)) {
      const ki = this.index.keyIndex(kv.key);
      if (ki?.isLive()) ki.tombstone(rev.main, rev.sub);
      return;
    }
    // one tree walk finds the key or inserts it (the rebuild runs in TreeIndex.bulk: no hash table to keep up)
    let fresh = false;
    const ki = this.index.keyIndexOrInsert(kv.key, () => {
      fresh = true;
      return new KeyIndex(copyBytes(kv.key));
    });
    if (fresh) ki.restore({ main: kv.createRevision, sub: 0 }, rev, kv.version);
    else ki.put(rev.main, rev.sub);
  }
}
