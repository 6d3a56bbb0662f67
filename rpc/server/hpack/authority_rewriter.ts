// Rewrites the `:authority` values Bun refuses inside HPACK header blocks (see ../authority_form.ts), one
// connection's client-to-server blocks in order, keeping every other octet as sent.
// It walks each block's representations (RFC 7541 section 6) only to (a) find `:authority` fields (static index 1,
// or a dynamic entry or literal name ":authority") and (b) mirror the dynamic table (insertions, size updates).
// A refused value is re-encoded as a raw string literal of a same-length accepted value: the representation's
// type bits and name part are untouched, and the table entry it may create keeps its size. An indexed field that
// refers to such an entry needs nothing: the server's decoder stored the rewritten value.
// Invariants: blocks must be fed in connection order, each exactly once; after a thrown HpackError the table is
// unusable and the caller must stop rewriting (the server's decoder will reject the same block itself).
import { acceptedAuthority } from "../authority_form.ts";
import { DynamicTable } from "./dynamic_table.ts";
import { HpackError, rawStringLiteral, readInt, readString, skipString } from "./primitives.ts";

const AUTHORITY = ":authority";

interface Edit {
  start: number;
  end: number;
  bytes: Buffer;
}

export class AuthorityRewriter {
  readonly table = new DynamicTable();

  /** Returns `block` with refused authorities replaced, or null when it needs no change. Throws HpackError. */
  rewrite(block: Uint8Array): Buffer | null {
    const end = block.length;
    let edits: Edit[] | null = null;
    let pos = 0;
    while (pos < end) {
      const first = block[pos]!;
      if (first & 0x80) {
        // indexed header field: validate the index; the table is unchanged
        const index = readInt(block, pos, end, 7);
        if (index.value === 0) throw new HpackError("hpack: index 0");
        this.table.nameAt(index.value);
        pos = index.end;
        continue;
      }
      if ((first & 0xe0) === 0x20) {
        const size = readInt(block, pos, end, 5);
        this.table.resize(size.value);
        pos = size.end;
        continue;
      }
      const indexing = (first & 0x40) !== 0; // else without indexing (0000) or never indexed (0001)
      const nameIndex = readInt(block, pos, end, indexing ? 6 : 4);
      pos = nameIndex.end;
      let name: string;
      if (nameIndex.value === 0) {
        const literal = readString(block, pos, end);
        name = literal.value;
        pos = literal.end;
      } else name = this.table.nameAt(nameIndex.value);

      if (name === AUTHORITY) {
        const value = readString(block, pos, end);
        const fixed = acceptedAuthority(value.value);
        if (fixed !== null) (edits ??= []).push({ start: pos, end: value.end, bytes: rawStringLiteral(fixed) });
        if (indexing) this.table.add(name, value.value);
        pos = value.end;
      } else if (indexing) {
        const value = readString(block, pos, end);
        this.table.add(name, value.value);
        pos = value.end;
      } else pos = skipString(block, pos, end);
    }
    return edits === null ? null : splice(block, edits);
  }
}

/** `block` with each edit's range replaced by its bytes (edits are in ascending, non-overlapping order). */
function splice(block: Uint8Array, edits: Edit[]): Buffer {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(block.subarray(at, e.start), e.bytes);
    at = e.end;
  }
  parts.push(block.subarray(at));
  return Buffer.concat(parts);
}
