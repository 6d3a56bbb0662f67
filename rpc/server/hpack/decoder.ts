// A full HPACK decoder (RFC 7541 section 6) for the server side of one HTTP/2 connection: turns each request
// header block into a plain header object as node:http2 hands them out (lower-case names, pseudo-headers
// included, a repeated field joined with ", "). The dynamic table is dynamic_table.ts's.
// Invariants: blocks must be decoded in connection order, each exactly once (the table mirrors the client's
// encoder); a size update may only open a block (section 4.2) and not exceed the SETTINGS_HEADER_TABLE_SIZE we
// advertised (the default, 4096); any malformed block throws HpackError, after which the connection must end
// with COMPRESSION_ERROR.
import { DEFAULT_TABLE_SIZE, DynamicTable } from "./dynamic_table.ts";
import { HuffmanError } from "./huffman.ts";
import { HpackError, readInt, readString } from "./primitives.ts";

export type DecodedHeaders = Record<string, string>;

export class HpackDecoder {
  private readonly table = new DynamicTable();

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
          this.emit(out, this.table.nameAt(r.value), this.table.valueAt(r.value));
        } else if ((b & 0xe0) === 0x20) {
          // dynamic table size update (6.3)
          const r = readInt(block, pos, end, 5);
          pos = r.end;
          if (fields > 0) throw new HpackError("hpack: dynamic table size update after a header field");
          if (r.value > DEFAULT_TABLE_SIZE) throw new HpackError(`hpack: table size update ${r.value} over the advertised ${DEFAULT_TABLE_SIZE}`);
          this.table.resize(r.value);
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
          } else name = this.table.nameAt(r.value);
          const v = readString(block, pos, end);
          pos = v.end;
          this.emit(out, name, v.value);
          if (indexing) this.table.add(name, v.value);
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
}

