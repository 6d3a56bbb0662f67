// The write workload of etcdctl's check commands: N independent clients (one connection each, as etcdctl's
// N clientv3 clients) take puts from a queue of capacity N (Go's buffered channel) and report every
// request's latency or error. Keys are the prefix + a ksize-byte buffer holding binary.PutVarint of a random
// int63 (zero-padded); values are vsize zero bytes. The load model names and aliases are etcdctl's.
import { randomBytes } from "node:crypto";
import type { CommandContext } from "../command.ts";
import type { CtlClient } from "../client.ts";
import { CtlError, ExitBadFeature } from "../errors.ts";
import { toRpcError } from "../grpc_errors.ts";
import type { Report } from "./report.ts";

const LOAD_ALIAS: Record<string, string> = { s: "s", small: "s", m: "m", medium: "m", l: "l", large: "l", xl: "xl", xLarge: "xl" };

/** The model key ("s", "m", "l", "xl") of a --load value, or etcdctl's error. */
export function loadModel(load: string): string {
  const m = LOAD_ALIAS[load];
  if (m === undefined) throw new CtlError(ExitBadFeature, `unknown load option ${load}`);
  return m;
}

export function newClients(ctx: CommandContext, n: number): CtlClient[] {
  return Array.from({ length: n }, () => ctx.newClient(ctx.config().endpoints));
}

/** binary.PutVarint(k, rand.Int63n(MaxInt64)) into a zeroed ksize buffer, after the prefix. */
export function randomKey(prefix: Uint8Array, ksize: number): Uint8Array {
  const k = new Uint8Array(prefix.length + ksize);
  k.set(prefix);
  let ux = (randomBytes(8).readBigUInt64BE() & 0x7fffffffffffffffn) << 1n; // zigzag of a non-negative int63
  let i = prefix.length;
  while (ux >= 0x80n) {
    k[i++] = Number(ux & 0x7fn) | 0x80;
    ux >>= 7n;
  }
  k[i] = Number(ux);
  return k;
}

/** A bounded FIFO with Go channel semantics for one producer and many consumers. */
export class OpQueue<T> {
  private readonly items: T[] = [];
  private closed = false;
  private readonly takers: ((v: T | undefined) => void)[] = [];
  private readonly putters: (() => void)[] = [];

  constructor(private readonly cap: number) {}

  async put(v: T): Promise<void> {
    while (this.items.length >= this.cap && this.takers.length === 0) await new Promise<void>((r) => this.putters.push(r));
    const taker = this.takers.shift();
    if (taker) taker(v);
    else this.items.push(v);
  }

  take(): Promise<T | undefined> {
    const v = this.items.shift();
    this.putters.shift()?.();
    if (v !== undefined) return Promise.resolve(v);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((r) => this.takers.push(r));
  }

  close(): void {
    this.closed = true;
    for (const t of this.takers.splice(0)) t(undefined);
  }
}

/** One worker per client: put every queued key with `value` until the queue closes; `onResult` after each. */
export function runWorkers(clients: CtlClient[], queue: OpQueue<Uint8Array>, value: Uint8Array, report: Report, onResult?: () => void): Promise<void[]> {
  return Promise.all(
    clients.map(async (c) => {
      for (let key = await queue.take(); key !== undefined; key = await queue.take()) {
        const st = performance.now();
        let err: string | undefined;
        try {
          await c.rpc((s, o) => s.kv.put({ key, value }, o), { timeoutMs: null });
        } catch (e) {
          err = toRpcError(e).message;
        }
        report.add(st, performance.now(), err);
        onResult?.();
      }
    }),
  );
}
