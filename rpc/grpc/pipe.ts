// Push-style streaming responses. A service whose stream produces bursts (a watch fan-out: one message per watcher
// per revision) returns a Pipeable: the native gRPC path hands it a sink and the service writes its messages
// straight into the HTTP/2 responder, synchronously, with no async-iterator step per message; every other
// transport (Connect, gRPC-web, the JSON gateway) iterates it like any AsyncIterable.
// Invariants: a sink's write() always takes the message; a promise from it means "full: wait before writing more".
// Once the sink is closed (client gone, or the iterator returned) the producer stops; iterating sees the messages
// in the order they were written, then the producer's end or error.
export const pipeTo = Symbol("pipeTo");

/** Where a pushed stream writes its messages. */
export interface MessageSink<T> {
  /** Takes one message; a promise when the transport is full (write nothing more until it settles). */
  write(message: T): Promise<void> | undefined;
  /**
   * Where the transport offers it (the native gRPC path): room for messages already in wire form, for a producer
   * with its own encoder of a hot message (byte-identical to toBinary's); absent where messages go as objects.
   */
  readonly frames?: FrameWriter;
  /** True once nobody will read what is written. */
  readonly closed: boolean;
}

/** Room for encoded messages in a transport's own buffer: no per-message allocation or copy. */
export interface FrameWriter {
  /** Queues one message of `size` bytes; the caller writes them into `buffer` at the returned offset at once. */
  reserve(size: number): number;
  /** The buffer of the last reserve() (it changes between calls). */
  readonly buffer: Uint8Array;
  /** Set while the transport is full: write nothing more until it settles. */
  readonly full: Promise<void> | undefined;
}

export interface Pipeable<T> extends AsyncIterable<T> {
  /** Runs the producer into `sink`; settles when it ends. */
  [pipeTo](sink: MessageSink<T>): Promise<void>;
}

export function isPipeable<T>(v: unknown): v is Pipeable<T> {
  return typeof v === "object" && v !== null && typeof (v as { [pipeTo]?: unknown })[pipeTo] === "function";
}

/** Messages an iterating reader may fall behind by before the producer is told to wait. */
const PULL_HIGH_WATER = 256;

/**
 * A Pipeable running `produce`. Iterated, it buffers what produce writes (asking it to wait past PULL_HIGH_WATER
 * messages); leaving the loop early closes the sink and calls `cancel`.
 */
export function pipeable<T>(produce: (sink: MessageSink<T>) => Promise<void>, cancel: () => void): Pipeable<T> {
  return {
    [pipeTo]: produce,
    async *[Symbol.asyncIterator]() {
      let buf: T[] = [];
      let ended: { error?: unknown } | undefined;
      let wake: (() => void) | undefined;
      let room: { promise: Promise<void>; resolve: () => void } | undefined;
      let returned = false;
      const signal = () => {
        const w = wake;
        wake = undefined;
        w?.();
      };
      const sink: MessageSink<T> = {
        get closed() {
          return returned;
        },
        write(message) {
          if (returned) return undefined;
          buf.push(message);
          signal();
          if (buf.length < PULL_HIGH_WATER) return undefined;
          return (room ??= Promise.withResolvers<void>()).promise;
        },
      };
      produce(sink).then(
        () => (ended = {}),
        (error: unknown) => (ended = { error }),
      ).finally(signal);
      try {
        for (;;) {
          if (buf.length > 0) {
            const items = buf;
            buf = [];
            room?.resolve();
            room = undefined;
            yield* items;
            continue;
          }
          if (ended !== undefined) {
            if ("error" in ended) throw ended.error;
            return;
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        returned = true;
        room?.resolve();
        cancel();
      }
    },
  };
}
