// etcd's Watch service (v3rpc/watch.go watchServer): one WatchSession (watch_session.ts) per bidi stream, returned
// as a Pipeable (the native gRPC path lets it write straight to the HTTP/2 stream), running until the client
// cancels or the connection or server closes (ctx.signal), or a receive fails.
// The progress-notify interval is --experimental-watch-progress-notify-interval: default 10 min, raised to
// etcd's 100 ms minimum, with up to +10 % jitter per stream (GetProgressReportInterval).
// Invariant: a stream's mvcc WatchStream and ticker are released however the stream ends.
import type { ServiceImpl } from "@connectrpc/connect";
import { Watch, type WatchResponse } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { pipeable } from "../grpc/pipe.ts";
import { tokenOf } from "./auth_token.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { WatchSession } from "./watch_session.ts";
import { GRPC_OVERHEAD_BYTES } from "./watch_wire.ts";

export interface WatchServiceOptions {
  /** Progress notification period in ms for progress_notify watchers (0 or absent = etcd's 10 min). */
  progressNotifyIntervalMs?: number;
}

export const DEFAULT_PROGRESS_NOTIFY_MS = 10 * 60 * 1000;
export const MIN_PROGRESS_NOTIFY_MS = 100;

/** etcd NewWatchServer + GetProgressReportInterval. */
export function progressInterval(ms: number | undefined): number {
  const base = ms === undefined || ms <= 0 ? DEFAULT_PROGRESS_NOTIFY_MS : Math.max(ms, MIN_PROGRESS_NOTIFY_MS);
  return base + Math.floor(Math.random() * (base / 10));
}

export function watchService(server: EtcdServerApi, opts: WatchServiceOptions = {}): ServiceImpl<typeof Watch> {
  return {
    watch(requests, ctx) {
      const session = new WatchSession(server, server.limits.maxRequestBytes + GRPC_OVERHEAD_BYTES, progressInterval(opts.progressNotifyIntervalMs), tokenOf(ctx));
      return pipeable<WatchResponse>(async (sink) => {
        const stop = () => session.stop();
        ctx.signal.addEventListener("abort", stop);
        try {
          if (ctx.signal.aborted) return;
          void session.recv(requests);
          await session.run(sink);
        } finally {
          ctx.signal.removeEventListener("abort", stop);
          session.stop();
        }
      }, () => session.stop());
    },
  };
}
