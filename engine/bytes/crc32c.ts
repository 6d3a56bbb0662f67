// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum etcd's Hash and HashKV use
// (crc32.New(crc32.MakeTable(crc32.Castagnoli))). Slice-by-8 tables; a Crc32c accumulates like Go's
// hash.Hash32 (write() in pieces, sum() at any time). Invariant: `crc` holds the running, inverted value.

const POLY = 0x82f63b78;
const TABLES: Uint32Array[] = (() => {
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[0][i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 8; s++) t[s][i] = (t[s - 1][i] >>> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
  return t;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

export class Crc32c {
  private crc: number;

  /** Continues from a previous checksum (Go's crc32.Update(initial, …)); 0 starts fresh. */
  constructor(initial = 0) {
    this.crc = ~initial >>> 0;
  }

  write(b: Uint8Array): this {
    let c = this.crc;
    let i = 0;
    const n = b.length;
    for (; i + 8 <= n; i += 8) {
      c ^= b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
      c =
        T7[c & 0xff] ^ T6[(c >>> 8) & 0xff] ^ T5[(c >>> 16) & 0xff] ^ T4[c >>> 24] ^
        T3[b[i + 4]] ^ T2[b[i + 5]] ^ T1[b[i + 6]] ^ T0[b[i + 7]];
    }
    for (; i < n; i++) c = T0[(c ^ b[i]) & 0xff] ^ (c >>> 8);
    this.crc = c;
    return this;
  }

  /** The checksum of everything written so far, as an unsigned 32-bit number. */
  sum(): number {
    return (this.crc ^ 0xffffffff) >>> 0;
  }
}

/** CRC-32C of one buffer. */
export function crc32c(b: Uint8Array): number {
  return new Crc32c().write(b).sum();
}
