// The chained record checksum: xxhash64 (xxhash-wasm) of a record's bytes, seeded with the previous
// record's checksum, so a record only verifies in its place in the sequence. The chain starts at 0
// in a new WAL and crosses segment files through the `crc` record that opens each file.
import xxhash from "xxhash-wasm";

const api = await xxhash();

/** xxhash64 of `bytes` seeded with `prev` (an unsigned 64-bit value). */
export function chainChecksum(bytes: Uint8Array, prev: bigint): bigint {
  return api.h64Raw(bytes, prev);
}
