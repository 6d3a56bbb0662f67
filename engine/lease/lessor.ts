// The lessor (etcd lease/lessor.go): leases with a TTL, the keys attached to each, persisted in the backend's
// `lease` bucket as etcd does (key = lease id as 8-byte big-endian int64, value = leasepb.Lease {ID, TTL}).
// Grants and revokes are applied from the Raft log (the caller's apply loop); renewals and expiry are the
// leader's business: only a primary lessor has deadlines (a non-primary's leases never expire), and promote()
// gives every lease a fresh deadline, extended by an election timeout, as etcd's Promote does.
// It is also the MVCC store's LeaseBinding: puts attach and detach keys through it.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { LeaseSchema } from "../../rpc/gen/etcd/lease/leasepb/lease_pb.ts";
import type { BatchTx } from "../mvcc/batch_tx.ts";
import type { LeaseBinding } from "../mvcc/requests.ts";
import { byteKey, byteKeyBytes } from "../bytes/compare.ts";

/** etcd's MaxLeaseTTL (seconds). */
export const MAX_LEASE_TTL = 9_000_000_000;
const LEASE_BUCKET = new TextEncoder().encode("lease");

export class LeaseNotFoundError extends Error {
  constructor() {
    super("lease not found");
  }
}
export class LeaseExistsError extends Error {
  constructor() {
    super("lease already exists");
  }
}
export class LeaseTTLTooLargeError extends Error {
  constructor() {
    super("too large lease TTL");
  }
}

interface Lease {
  id: bigint;
  /** Granted TTL in seconds (after the minimum is applied). */
  ttl: number;
  /** Deadline in ms since the epoch; Infinity while this lessor is not primary. */
  expiry: number;
  /** Attached keys, as latin1 strings of their bytes. */
  keys: Set<string>;
}

const idKey = (id: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, id);
  return b;
};

export class Lessor implements LeaseBinding {
  private readonly leases = new Map<bigint, Lease>();
  /** Keys the store re-attached on restore before the leases were loaded. */
  private readonly early = new Map<bigint, Set<string>>();
  private readonly keyLease = new Map<string, bigint>();
  private primary = false;

  /**
   * `backendOf` gives the store's batch transaction; it is asked for only from load() on, because the store
   * re-attaches keys to leases (attach) while it opens, before its backend is handed out.
   */
  constructor(
    private readonly backendOf: () => BatchTx,
    /** Minimum TTL in seconds (etcd: ceil(1.5 election timeouts)). */
    readonly minTTL: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get backend(): BatchTx {
    return this.backendOf();
  }

  /** Loads the persisted leases (after the store has re-attached keys). */
  load(): void {
    this.backend.createBucket(LEASE_BUCKET);
    this.backend.bucket(LEASE_BUCKET).forEach((_k, v) => {
      if (!v) return;
      const l = fromBinary(LeaseSchema, v.slice());
      const keys = this.early.get(l.ID) ?? new Set<string>();
      this.leases.set(l.ID, { id: l.ID, ttl: Math.max(Number(l.TTL), this.minTTL), expiry: Infinity, keys });
    });
    for (const [id, keys] of this.early) if (!this.leases.has(id)) for (const k of keys) this.keyLease.delete(k);
    this.early.clear();
  }

  get isPrimary(): boolean {
    return this.primary;
  }

  /** Becomes the primary: every lease gets a deadline of now + TTL + extend. */
  promote(extendMs: number): void {
    this.primary = true;
    const now = this.now();
    for (const l of this.leases.values()) l.expiry = now + l.ttl * 1000 + extendMs;
  }

  demote(): void {
    this.primary = false;
    for (const l of this.leases.values()) l.expiry = Infinity;
  }

  /** Applies a grant from the log; returns the granted TTL. */
  grant(id: bigint, ttl: number): number {
    if (id === 0n) throw new LeaseNotFoundError();
    if (ttl > MAX_LEASE_TTL) throw new LeaseTTLTooLargeError();
    if (this.leases.has(id)) throw new LeaseExistsError();
    const granted = Math.max(ttl, this.minTTL);
    this.leases.set(id, { id, ttl: granted, expiry: this.primary ? this.now() + granted * 1000 : Infinity, keys: new Set() });
    this.backend.put(LEASE_BUCKET, idKey(id), toBinary(LeaseSchema, create(LeaseSchema, { ID: id, TTL: BigInt(granted) })));
    return granted;
  }

  /** The keys to delete when revoking, sorted as etcd deletes them; throws if the lease is unknown. */
  keysOf(id: bigint): Uint8Array[] {
    const l = this.leases.get(id);
    if (!l) throw new LeaseNotFoundError();
    return [...l.keys].sort().map(byteKeyBytes);
  }

  /** Removes the lease (after its keys were deleted). */
  remove(id: bigint): void {
    const l = this.leases.get(id);
    if (!l) throw new LeaseNotFoundError();
    for (const k of l.keys) this.keyLease.delete(k);
    this.leases.delete(id);
    this.backend.delete(LEASE_BUCKET, idKey(id));
  }

  /** Renews on the primary: a fresh deadline; returns the TTL. */
  renew(id: bigint): number {
    const l = this.leases.get(id);
    if (!l || l.expiry <= this.now()) throw new LeaseNotFoundError();
    l.expiry = this.now() + l.ttl * 1000;
    return l.ttl;
  }

  /** Remaining seconds (truncated, as etcd), granted TTL and keys; undefined for an unknown lease. */
  timeToLive(id: bigint): { remaining: number; granted: number; keys: Uint8Array[] } | undefined {
    const l = this.leases.get(id);
    if (!l) return undefined;
    const remaining = l.expiry === Infinity ? l.ttl : Math.max(0, Math.trunc((l.expiry - this.now()) / 1000));
    return { remaining, granted: l.ttl, keys: this.keysOf(id) };
  }

  ids(): bigint[] {
    return [...this.leases.keys()];
  }

  /** Leases past their deadline (primary only). */
  expired(): bigint[] {
    const now = this.now();
    const out: bigint[] = [];
    for (const l of this.leases.values()) if (l.expiry <= now) out.push(l.id);
    return out;
  }

  // ---- LeaseBinding (the MVCC store's view) ----
  exists(id: bigint): boolean {
    return this.leases.has(id);
  }
  leaseOf(key: Uint8Array): bigint {
    if (this.keyLease.size === 0) return 0n; // no key has a lease: every write checks, most stores have none
    return this.keyLease.get(byteKey(key)) ?? 0n;
  }
  attach(id: bigint, key: Uint8Array): void {
    const k = byteKey(key);
    const l = this.leases.get(id);
    if (l) l.keys.add(k);
    else {
      let early = this.early.get(id);
      if (!early) this.early.set(id, (early = new Set()));
      early.add(k);
    }
    this.keyLease.set(k, id);
  }
  detach(id: bigint, key: Uint8Array): void {
    const k = byteKey(key);
    this.leases.get(id)?.keys.delete(k);
    if (this.keyLease.get(k) === id) this.keyLease.delete(k);
  }
}
