// An in-memory reference model of a bbolt file's content (nested buckets of sorted keys), and helpers to
// read a real bucket tree into the same shape, so tests can compare the two.
import type { Bucket } from "../../engine/backend/bucket.ts";
import type { Tx } from "../../engine/backend/tx.ts";

export const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
export const fromHex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

export class ModelBucket {
  kv = new Map<string, string>(); // hex key → hex value
  buckets = new Map<string, ModelBucket>(); // hex name → child

  clone(): ModelBucket {
    const c = new ModelBucket();
    c.kv = new Map(this.kv);
    for (const [k, b] of this.buckets) c.buckets.set(k, b.clone());
    return c;
  }

  /** Sorted list of "path|key=value" / "path|key/" lines describing the whole tree. */
  lines(prefix = ""): string[] {
    const out: string[] = [];
    const names = [...new Set([...this.kv.keys(), ...this.buckets.keys()])].sort();
    for (const k of names) {
      const child = this.buckets.get(k);
      if (child) {
        out.push(`${prefix}|${k}/`);
        out.push(...child.lines(`${prefix}/${k}`));
      } else out.push(`${prefix}|${k}=${this.kv.get(k)}`);
    }
    return out;
  }
}

/** Reads a bucket (cursor order) into the model's line format. */
export function bucketLines(b: Bucket, prefix = ""): string[] {
  const out: string[] = [];
  const c = b.cursor();
  for (let e = c.first(); e; e = c.next()) {
    const k = toHex(e[0]);
    if (e[1] === null) {
      out.push(`${prefix}|${k}/`);
      out.push(...bucketLines(b.bucket(e[0])!, `${prefix}/${k}`));
    } else out.push(`${prefix}|${k}=${toHex(e[1])}`);
  }
  return out;
}

export function txLines(tx: Tx): string[] {
  return bucketLines(tx.root);
}
