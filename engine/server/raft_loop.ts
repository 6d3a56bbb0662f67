// Drives the Raft state machine for the server: ticks on a timer, and for every Ready, in order:
//   1. start writing the new entries and HardState to the WAL (skipped when Raft says the change need not
//      be synced and there are no entries: a commit-index-only change, written with the next batch);
//   2. meanwhile apply the committed entries (made durable by an earlier Ready, so applying them while the
//      next batch is being written is safe — etcd overlaps the two the same way), then wait for the fsync;
//   3. append them to Raft's in-memory storage, hand out messages and read states, then advance().
// Proposals made while a WAL write is in flight accumulate in Raft and go out together in the next Ready:
// that is the group commit. One cycle runs at a time.
import type { MemoryStorage } from "../raft/memory_storage.ts";
import type { Message } from "../raft/message.ts";
import type { RaftNode } from "../raft/node.ts";
import type { ReadState, SoftState } from "../raft/raft.ts";
import type { Entry, HardState } from "../raft/types.ts";
import type { Wal } from "../wal/wal.ts";

export interface RaftLoopHooks {
  /** Applies committed entries in log order; called serially. */
  apply(entries: Entry[]): void | Promise<void>;
  /** Leader or role changed. */
  softState?(s: SoftState): void;
  /** ReadIndex answers (the caller waits for the applied index to reach them). */
  readStates?(rs: ReadState[]): void;
  /** Messages for other members (none in a one-member cluster). */
  send?(msgs: Message[]): void;
  /** Seconds one WAL write took, from submit to durable (write + fdatasync). */
  walSynced?(seconds: number): void;
  /** A fatal error (WAL or apply failure): the server must stop. */
  fatal(err: unknown): void;
}

export class RaftLoop {
  private running = false;
  private stopped = false;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private idle: Promise<void> = Promise.resolve();
  /** The HardState last written to the WAL, and the latest one Raft reported. */
  private lastHard: HardState = { term: 0, vote: 0n, commit: 0 };
  /** Index of the last applied entry. */
  applied = 0;

  constructor(
    readonly node: RaftNode,
    private readonly storage: MemoryStorage,
    private readonly wal: Wal,
    private readonly hooks: RaftLoopHooks,
  ) {}

  start(tickMs: number): void {
    this.ticker = setInterval(() => {
      this.node.tick();
      this.kick();
    }, tickMs);
    this.kick();
  }

  /** Runs Ready cycles until Raft has nothing more to hand out. Call after propose/readIndex/step. */
  kick(): void {
    if (this.running || this.stopped) return;
    if (!this.node.hasReady()) return;
    this.running = true;
    this.idle = this.run();
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped && this.node.hasReady()) {
        const rd = this.node.ready();
        if (rd.softState) this.hooks.softState?.(rd.softState);
        const committed = rd.committedEntries;
        // A follower can learn that entries are committed in the same Ready that hands them over: those
        // are written before they are applied.
        const persistFirst = rd.entries.length > 0 && committed.length > 0 && committed[committed.length - 1].index >= rd.entries[0].index;
        if (rd.hardState) this.lastHard = rd.hardState;
        const started = performance.now();
        const write = rd.entries.length || (rd.hardState && rd.mustSync) ? this.wal.save(this.lastHard, rd.entries).then(() => this.hooks.walSynced?.((performance.now() - started) / 1000)) : null;
        write?.catch(() => {}); // awaited below; marked handled so a failure during apply is not "unhandled"
        if (persistFirst) await write;
        if (committed.length) {
          await this.hooks.apply(committed);
          this.applied = committed[committed.length - 1].index;
        }
        if (write) await write;
        if (rd.entries.length) this.storage.append(rd.entries);
        if (rd.hardState) this.storage.setHardState(rd.hardState);
        if (rd.messages.length) this.hooks.send?.(rd.messages);
        if (rd.readStates.length) this.hooks.readStates?.(rd.readStates);
        this.node.advance();
      }
    } catch (e) {
      this.stopped = true;
      this.hooks.fatal(e);
    } finally {
      // Cleared synchronously after the last hasReady() check, so a proposal made by a continuation of this
      // cycle's applies (which run as microtasks after it) finds the loop idle and kicks it again.
      this.running = false;
    }
  }

  /** Stops ticking and waits for the cycle in progress (its WAL write and applies) to finish. */
  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.stopped = true;
    await this.idle;
  }
}
