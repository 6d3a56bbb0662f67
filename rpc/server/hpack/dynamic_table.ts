// HPACK's dynamic table (RFC 7541 sections 2.3.2 and 4), kept only as far as a header-block rewriter needs it:
// each entry's name and size (name octets + value octets + 32), FIFO eviction, and size updates.
// Invariant: fed the same representations in the same order, it has exactly the entries (indices and sizes) of
// the peer encoder's table, hence of the receiving decoder's; values are not stored (same-length rewriting keeps
// sizes, and an indexed reference to a stored value needs no rewriting).
import { HpackError } from "./primitives.ts";
import { STATIC_COUNT, STATIC_NAMES } from "./static_table.ts";

/** RFC 7541 section 4.1: per-entry overhead added to name and value lengths. */
export const ENTRY_OVERHEAD = 32;
/** SETTINGS_HEADER_TABLE_SIZE's initial value, the table's maximum until a size update says otherwise. */
export const DEFAULT_TABLE_SIZE = 4096;

export class DynamicTable {
  /** Oldest first; the newest entry (HPACK index STATIC_COUNT + 1) is last. */
  private readonly names: string[] = [];
  private readonly sizes: number[] = [];
  private used = 0;

  constructor(private max = DEFAULT_TABLE_SIZE) {}

  get size(): number {
    return this.used;
  }

  get length(): number {
    return this.names.length;
  }

  get maxSize(): number {
    return this.max;
  }

  /** Adds an entry (literal with incremental indexing), evicting the oldest entries to make room. */
  add(name: string, valueLength: number): void {
    const size = name.length + valueLength + ENTRY_OVERHEAD;
    this.evictTo(this.max - size);
    if (size > this.max) return; // larger than the whole table: the table ends up empty (section 4.4)
    this.names.push(name);
    this.sizes.push(size);
    this.used += size;
  }

  /** Dynamic table size update (section 6.3). */
  resize(max: number): void {
    this.max = max;
    this.evictTo(max);
  }

  /** The name at an HPACK index (static or dynamic). */
  nameAt(index: number): string {
    if (index >= 1 && index <= STATIC_COUNT) return STATIC_NAMES[index]!;
    const i = this.names.length - 1 - (index - STATIC_COUNT - 1);
    if (index < 1 || i < 0) throw new HpackError(`hpack: index ${index} out of range`);
    return this.names[i]!;
  }

  private evictTo(limit: number): void {
    let drop = 0;
    while (this.used > Math.max(limit, 0) && drop < this.sizes.length) this.used -= this.sizes[drop++]!;
    if (drop > 0) {
      this.names.splice(0, drop);
      this.sizes.splice(0, drop);
    }
  }
}
