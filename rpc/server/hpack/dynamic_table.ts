// HPACK's dynamic table (RFC 7541 sections 2.3.2 and 4), shared by the full decoder (decoder.ts) and the
// :authority rewriter: each entry's name and value, its size (name octets + value octets + 32), FIFO eviction, and
// size updates. Lookups by HPACK index cover the static table too.
// Invariant: fed the same representations in the same order, it has exactly the entries (indices, names, values,
// sizes) of the peer encoder's table, hence of the receiving decoder's.
import { HpackError } from "./primitives.ts";
import { STATIC_COUNT, STATIC_NAMES, STATIC_VALUES } from "./static_table.ts";

/** RFC 7541 section 4.1: per-entry overhead added to name and value lengths. */
export const ENTRY_OVERHEAD = 32;
/** SETTINGS_HEADER_TABLE_SIZE's initial value, the table's maximum until a size update says otherwise. */
export const DEFAULT_TABLE_SIZE = 4096;

export class DynamicTable {
  /** Oldest first; the newest entry (HPACK index STATIC_COUNT + 1) is last. */
  private readonly names: string[] = [];
  private readonly values: string[] = [];
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
  add(name: string, value: string): void {
    const size = entrySize(name, value);
    this.evictTo(this.max - size);
    if (size > this.max) return; // larger than the whole table: the table ends up empty (section 4.4)
    this.names.push(name);
    this.values.push(value);
    this.used += size;
  }

  /** Dynamic table size update (section 6.3). */
  resize(max: number): void {
    this.max = max;
    this.evictTo(max);
  }

  /** The name at an HPACK index (static or dynamic). */
  nameAt(index: number): string {
    return index >= 1 && index <= STATIC_COUNT ? STATIC_NAMES[index]! : this.names[this.slot(index)]!;
  }

  /** The value at an HPACK index (static or dynamic). */
  valueAt(index: number): string {
    return index >= 1 && index <= STATIC_COUNT ? STATIC_VALUES[index]! : this.values[this.slot(index)]!;
  }

  /** Position in names/values of a dynamic index; throws for 0 and for indices past the table. */
  private slot(index: number): number {
    const i = this.names.length - 1 - (index - STATIC_COUNT - 1);
    if (index < 1 || i < 0) throw new HpackError(`hpack: index ${index} out of range`);
    return i;
  }

  private evictTo(limit: number): void {
    let drop = 0;
    while (this.used > Math.max(limit, 0) && drop < this.names.length) {
      this.used -= entrySize(this.names[drop]!, this.values[drop]!);
      drop++;
    }
    if (drop > 0) {
      this.names.splice(0, drop);
      this.values.splice(0, drop);
    }
  }
}

function entrySize(name: string, value: string): number {
  return name.length + value.length + ENTRY_OVERHEAD;
}
