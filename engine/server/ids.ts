// Identities as etcd derives them, so the same flags give the same ids as etcd:
//   member id  = first 8 bytes (big-endian) of sha1(sorted peer URLs joined + cluster token)
//   cluster id = first 8 bytes of sha1(the sorted member ids as 8-byte big-endian values)
//   request ids: 2 bytes of member id | 40 bits of milliseconds at start | 8-bit counter (etcd's idutil),
//   strictly increasing within a process.
import { createHash } from "node:crypto";

function sha1Prefix(bytes: Uint8Array): bigint {
  const h = createHash("sha1").update(bytes).digest();
  return h.readBigUInt64BE(0);
}

export function memberId(peerUrls: string[], clusterToken: string): bigint {
  const s = [...peerUrls].sort().join("") + clusterToken;
  return sha1Prefix(new TextEncoder().encode(s));
}

export function clusterId(memberIds: bigint[]): bigint {
  const ids = [...memberIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const b = Buffer.alloc(8 * ids.length);
  ids.forEach((id, i) => b.writeBigUInt64BE(id, 8 * i));
  return sha1Prefix(b);
}

/** etcd's types.ID string form: lower-case hex without leading zeros. */
export function idString(id: bigint): string {
  return id.toString(16);
}

const SUFFIX_BITS = 48n;
const SUFFIX_MASK = (1n << SUFFIX_BITS) - 1n;

export class RequestIdGenerator {
  private readonly prefix: bigint;
  private suffix: bigint;

  constructor(member: bigint, nowMs = Date.now()) {
    this.prefix = (member & 0xffffn) << SUFFIX_BITS;
    this.suffix = (BigInt(nowMs) & ((1n << 40n) - 1n)) << 8n;
  }

  next(): bigint {
    this.suffix += 1n;
    return this.prefix | (this.suffix & SUFFIX_MASK);
  }
}
