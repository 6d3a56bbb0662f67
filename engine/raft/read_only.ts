// The leader's pending ReadIndex requests (ReadOnlySafe): each records the commit index at arrival and
// the set of voters that acknowledged a heartbeat carrying its context. Invariant: the queue is in arrival
// order, so a quorum ack for one request also confirms every earlier one.
import { byteKey } from "../bytes/compare.ts";
import type { Message } from "./message.ts";
import type { NodeId } from "./types.ts";

export interface ReadIndexStatus {
  req: Message;
  index: number;
  acks: Set<NodeId>;
}

/** Requests are keyed by their context bytes (latin1 string: one char per byte). */
export const contextKey = byteKey;

export class ReadOnly {
  private pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  /** Queues a read request (m.entries[0].data is its context) at the given commit index; duplicates are ignored. */
  addRequest(index: number, m: Message): void {
    const key = contextKey(m.entries[0].data);
    if (this.pending.has(key)) return;
    this.pending.set(key, { req: m, index, acks: new Set() });
    this.queue.push(key);
  }

  /** Records that `id` acknowledged the heartbeat carrying ctx; returns the ackers so far, or null if unknown. */
  recvAck(id: NodeId, ctx: Uint8Array): Set<NodeId> | null {
    const rs = this.pending.get(contextKey(ctx));
    if (rs === undefined) return null;
    rs.acks.add(id);
    return rs.acks;
  }

  /** Dequeues and returns every request up to and including the one with context ctx. */
  advance(ctx: Uint8Array): ReadIndexStatus[] {
    const key = contextKey(ctx);
    const at = this.queue.indexOf(key);
    if (at < 0) return [];
    const keys = this.queue.splice(0, at + 1);
    const done = keys.map((k) => this.pending.get(k)!);
    for (const k of keys) this.pending.delete(k);
    return done;
  }

  /** Context of the newest pending request, or null. */
  lastPendingContext(): Uint8Array | null {
    if (this.queue.length === 0) return null;
    return this.pending.get(this.queue[this.queue.length - 1])!.req.entries[0].data;
  }
}
