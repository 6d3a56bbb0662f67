// EtcdClient: the Etcd interface (types.ts) over etcd's services (services.ts). The embedded store and the
// remote client are both this class; only the EtcdServices behind it differ. Every call builds etcd's
// request message (requests.ts), awaits the service, and converts the response (results.ts); RPC failures
// surface as EtcdError.
// Invariants: after close() every call fails with code "Canceled"; close() ends the watches and keep-alives
// it started, then closes the services, once.
import { create } from "@bufbuild/protobuf";
import {
  CompactionRequestSchema, LeaseGrantRequestSchema, LeaseLeasesRequestSchema, LeaseRevokeRequestSchema, LeaseTimeToLiveRequestSchema,
  SnapshotRequestSchema, StatusRequestSchema,
} from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { EtcdError, etcdCall, leaseNotFound } from "./errors.ts";
import { KeepAliveCall, renewOnce } from "./keep_alive.ts";
import { deleteRequest, putRequest, rangeRequest, txnRequest, watchCreateRequest } from "./requests.ts";
import { deleteResult, putResult, rangeResult, statusResult, txnResult } from "./results.ts";
import type { EtcdServices } from "./services.ts";
import type {
  Bytes, CompactOptions, DeleteOptions, DeleteResult, Etcd, KeepAlive, KeySelector, KeyValue, LeaseApi, LeaseGrant, LeaseId,
  LeaseTimeToLive, PutOptions, PutResult, RangeOptions, RangeResult, ReadOptions, SnapshotResult, StatusResult, TxnRequest, TxnResult,
  Watch, WatchOptions,
} from "./types.ts";
import { WatchCall } from "./watch.ts";

export class EtcdClient implements Etcd {
  readonly lease: LeaseApi;
  private readonly open = new Set<{ close(): void }>();
  private closing: Promise<void> | undefined;

  constructor(private readonly services: EtcdServices) {
    this.lease = {
      grant: (ttl, opts) => this.leaseGrant(ttl, opts?.id),
      revoke: (id) => this.leaseRevoke(id),
      keepAliveOnce: (id) => this.keepAliveOnce(id),
      keepAlive: (id) => this.keepAlive(id),
      timeToLive: (id, opts) => this.timeToLive(id, opts?.keys ?? false),
      leases: () => this.leases(),
    };
  }

  /** The services, or EtcdError("Canceled") once closed. */
  private get svc(): EtcdServices {
    if (this.closing) throw new EtcdError("Canceled", "bunetcd: client is closed");
    return this.services;
  }

  async put(key: Bytes, value: Bytes, opts?: PutOptions): Promise<PutResult> {
    return putResult(await etcdCall(this.svc.kv.put(putRequest(key, value, opts))));
  }

  async get(key: Bytes, opts: ReadOptions = {}): Promise<KeyValue | undefined> {
    return (await this.range({ ...opts, key })).kvs[0];
  }

  async range(opts: RangeOptions): Promise<RangeResult> {
    return rangeResult(await etcdCall(this.svc.kv.range(rangeRequest(opts))));
  }

  async delete(keys: KeySelector, opts?: DeleteOptions): Promise<DeleteResult> {
    return deleteResult(await etcdCall(this.svc.kv.deleteRange(deleteRequest(keys, opts))));
  }

  async txn(req: TxnRequest): Promise<TxnResult> {
    return txnResult(await etcdCall(this.svc.kv.txn(txnRequest(req))));
  }

  watch(keys: KeySelector, opts: WatchOptions = {}): Watch {
    const w = new WatchCall(this.svc, watchCreateRequest(keys, opts), opts.signal, (self) => this.open.delete(self));
    if (!w.closed) this.open.add(w);
    return w;
  }

  async compact(revision: number, opts: CompactOptions = {}): Promise<void> {
    await etcdCall(this.svc.kv.compact(create(CompactionRequestSchema, { revision: BigInt(revision), physical: opts.physical ?? false })));
  }

  async snapshot(path: string): Promise<SnapshotResult> {
    const svc = this.svc;
    const { writeSnapshot } = await import("./snapshot_file.ts"); // node:fs, loaded on demand (not in browsers)
    return writeSnapshot(svc.maintenance.snapshot(create(SnapshotRequestSchema)), path);
  }

  async status(): Promise<StatusResult> {
    return statusResult(await etcdCall(this.svc.maintenance.status(create(StatusRequestSchema))));
  }

  // ---- leases ----

  private async leaseGrant(ttl: number, id: LeaseId = 0n): Promise<LeaseGrant> {
    const r = await etcdCall(this.svc.lease.leaseGrant(create(LeaseGrantRequestSchema, { TTL: BigInt(ttl), ID: id })));
    if (r.error) throw new EtcdError("Unknown", r.error);
    return { id: r.ID, ttl: Number(r.TTL) };
  }

  private async leaseRevoke(id: LeaseId): Promise<void> {
    await etcdCall(this.svc.lease.leaseRevoke(create(LeaseRevokeRequestSchema, { ID: id })));
  }

  private async keepAliveOnce(id: LeaseId): Promise<LeaseGrant> {
    const ttl = await renewOnce(this.svc, id);
    if (ttl <= 0) throw leaseNotFound();
    return { id, ttl };
  }

  private async keepAlive(id: LeaseId): Promise<KeepAlive> {
    const k = await KeepAliveCall.start(this.svc, id, (done) => this.open.delete(done));
    this.open.add(k);
    return k;
  }

  private async timeToLive(id: LeaseId, keys: boolean): Promise<LeaseTimeToLive | undefined> {
    const r = await etcdCall(this.svc.lease.leaseTimeToLive(create(LeaseTimeToLiveRequestSchema, { ID: id, keys })));
    if (r.TTL < 0n) return undefined;
    return { id: r.ID, ttl: Number(r.TTL), grantedTtl: Number(r.grantedTTL), keys: r.keys };
  }

  private async leases(): Promise<LeaseId[]> {
    const r = await etcdCall(this.svc.lease.leaseLeases(create(LeaseLeasesRequestSchema)));
    return r.leases.map((l) => l.ID);
  }

  // ---- lifecycle ----

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const o of [...this.open]) o.close();
      this.open.clear();
      await this.services.close();
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
