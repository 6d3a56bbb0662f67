// A consistent copy of the database as of one read transaction, as bbolt's Tx.WriteTo produces it: two meta
// pages built from the transaction's meta (page 0 at its txid, page 1 at txid - 1, each with its checksum),
// then pages 2 up to the high water mark read from the file. Pages the transaction can reach are not
// rewritten while it is open (the freelist holds them), so the copy opens at exactly that state.
import { metaPage } from "./meta.ts";
import type { Tx } from "./tx.ts";

/** Total bytes writeTo yields for this transaction (bbolt's Tx.Size). */
export function copySize(tx: Tx): number {
  return tx.meta.pgid * tx.db.pageSize;
}

/**
 * Yields the copy in chunks of at most `chunk` bytes, views of the file's pages (no copy): the transaction must
 * stay open while a chunk is used.
 */
export function* writeTo(tx: Tx, chunk = 32 * 1024): Generator<Uint8Array> {
  yield metaPage({ ...tx.meta }, 0);
  yield metaPage({ ...tx.meta, txid: tx.meta.txid - 1 }, 1);
  const end = copySize(tx);
  for (let off = 2 * tx.db.pageSize; off < end; off += chunk) yield tx.data.subarray(off, Math.min(end, off + chunk));
}
