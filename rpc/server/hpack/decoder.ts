// A full HPACK decoder (RFC 7541 section 6) for the server side of one HTTP/2 connection: turns each request
// header block into a plain header object as node:http2 hands them out (lower-case names, pseudo-headers
// included, a repeated field joined with ", "). Keeps the dynamic table with names and values.
// Invariants: blocks must be decoded in connection order, each exactly once (the table mirrors the client's
// encoder); a size update may only open a block (section 4.2) and not exceed the SETTINGS_HEADER_TABLE_SIZE we
// advertised (the default, 4096);
// any malformed block throws HpackError, after which the connection must end with COMPRESSION_ERROR.
import { ENTRY_OVERHEAD, DEFAULT_TABLE_SIZE } from "./dynamic_table.ts";
import { HuffmanError } from "./huffman.ts";
import { HpackError, readInt, readString } from "./primitives.ts";
import { STATIC_COUNT, STATIC_NAMES, STATIC_VALUES } from "./static_table.ts";

export type DecodedHeaders = Record<string, string>;

export class HpackDecoder {
  /** Newest entry last; `head` is the index of the oldest live one (evicted ones are dropped in batches). */
  private names: string[] = [];
  private values: string[] = [];
  private head = 0;
  private used = 0;
  private max = DEFAULT_TABLE_SIZE;

  /** Decodes block[start, end) into a header object; throws HpackError on a malformed block. */
  decode(block: Uint8Array, start: number, end: number): DecodedHeaders {
    const out: DecodedHeaders = {};
    let pos = start;
    let fields = 0;
    try {
      while (pos < end) {
        const b = block[pos]!;
        if ((b & 0xe0) !== 0x20) fields++;
        if (b & 0x80) {
          // indexed field (6.1)
          const r = readInt(block, pos, end, 7);
          pos = r.end;
          this.emit(out, this.nameAt(r.value), this.valueAt(r.value));
        } else if ((b & 0xe0) === 0x20) {
          // dynamic table size update (6.3)
          const r = readInt(block, pos, end, 5);
          pos = r.end;
          if (fields > 0) throw new HpackError("hpack: dynamic table size update after a header field");
          if (r.value > DEFAULT_TABLE_SIZE) throw new HpackError(`hpack: table size update ${r.value} over the advertised ${DEFAULT_TABLE_SIZE}`);
          this.max = r.value;
          this.evictTo(this.max);
        } else {
          // literal: with incremental indexing (6.2.1), without indexing (6.2.2) or never indexed (6.2.3)
          const indexing = (b & 0xc0) === 0x40;
          const r = readInt(block, pos, end, indexing ? 6 : 4);
          pos = r.end;
          let name: string;
          if (r.value === 0) {
            const n = readString(block, pos, end);
            name = n.value;
            pos = n.end;
          } else name = this.nameAt(r.value);
          const v = readString(block, pos, end);
          pos = v.end;
          this.emit(out, name, v.value);
          if (indexing) this.add(name, v.value);
        }
      }
    } catch (e) {
      if (e instanceof HuffmanError) throw new HpackError(e.message);
      throw e;
    }
    return out;
  }

  private emit(out: DecodedHeaders, name: string, value: string): void {
    const had = out[name];
    out[name] = had === undefined ? value : `${had}, ${value}`;
  }

  private slot(index: number): number {
    const i = this.names.length - 1 - (index - STATIC_COUNT - 1);
    if (index < 1 || i < this.head) throw new HpackError(`hpack: index ${index} out of range`);
    return i;
  }

  private nameAt(index: number): string {
    return index <= STATIC_COUNT && index >= 1 ? STATIC_NAMES[index]! : this.names[this.slot(index)]!;
  }

  private valueAt(index: number): string {
    return index <= STATIC_COUNT && index >= 1 ? STATIC_VALUES[index]! : this.values[this.slot(index)]!;
  }

  private add(name: string, value: string): void {
    const size = name.length + value.length + ENTRY_OVERHEAD;
    this.evictTo(this.max - size);
    if (size > this.max) return; // larger than the table: the table is now empty (4.4)
    this.names.push(name);
    this.values.push(value);
    this.used += size;
  }

  private evictTo(limit: number): void {
    while (this.used > Math.max(limit, 0) && this.head < this.names.length) {
      this.used -= this.names[this.head]!.length + this.values[this.head]!.length + ENTRY_OVERHEAD;
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.names.length) {
      this.names = this.names.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }
}
