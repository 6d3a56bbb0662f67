// etcd's prefix rule (clientv3 GetPrefixRangeEnd): the range end that covers every key starting with a prefix.
// One definition for the client commands, the library's key selectors and the tests.
import { copyBytes } from "./copy.ts";

/** "\0": the range end meaning "every key ≥ key", used when a prefix has no end (it is all 0xff bytes or empty). */
const NO_END = new Uint8Array([0]);

/** The smallest key greater than every key starting with prefix: trailing 0xff bytes dropped and the last byte
 * below 0xff incremented; "\0" (no end) when there is none. */
export function prefixEnd(prefix: Uint8Array): Uint8Array<ArrayBuffer> {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = copyBytes(prefix.subarray(0, i + 1)); // a copy even of a Buffer, whose slice() is a view
      end[i]!++;
      return end;
    }
  }
  return NO_END.slice();
}
