// etcd's Maintenance service (etcdserver/api/v3rpc/maintenance.go): Status, Alarm, Hash and HashKV come from the
// server core (it fills headers, alarms and raft state exactly as maintenance.go does), and so do Defragment and
// Snapshot (the backend file streamed, then its sha256; on the gRPC path framed straight from the file's pages,
// snapshot_encode.ts), and MoveLeader (engine/server/move_leader.ts). Alarm, Hash, HashKV, Defragment and Snapshot
// pass the auth-token hook first (auth_token.ts), as etcd's authMaintenanceServer.
import type { ServiceImpl } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { Maintenance, type SnapshotResponse, SnapshotResponseSchema } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { pipeable } from "../grpc/pipe.ts";
import { frameSnapshotResponse } from "./snapshot_encode.ts";
import { authorized, invalidTokenAuth } from "./auth_token.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";

export function maintenanceService(server: EtcdServerApi): ServiceImpl<typeof Maintenance> {
  return {
    status: () => server.status(),
    alarm: (req, ctx) => authorized(ctx, server, invalidTokenAuth, () => server.alarm(req)),
    hash: (_req, ctx) => authorized(ctx, server, invalidTokenAuth, () => server.hash()),
    hashKV: (req, ctx) => authorized(ctx, server, invalidTokenAuth, () => server.hashKV(req)),
    defragment: (_req, ctx) => authorized(ctx, server, invalidTokenAuth, () => server.defragment()),
    snapshot: (_req, ctx) =>
      pipeable<SnapshotResponse>(async (sink) => {
        await authorized(ctx, server, invalidTokenAuth, () => undefined);
        for (const part of server.snapshot(ctx.signal)) {
          if (sink.closed) return;
          let full: Promise<void> | undefined;
          if (sink.frames !== undefined) {
            frameSnapshotResponse(sink.frames, part);
            full = sink.frames.full;
          } else {
            // a part's blob is only valid until the next one: a message that outlives this step gets a copy
            full = sink.write(create(SnapshotResponseSchema, { remainingBytes: BigInt(part.remainingBytes), blob: part.blob.slice() }));
          }
          if (full !== undefined) await full;
        }
      }, () => undefined),
    moveLeader: (req, ctx) => server.moveLeader(req, ctx.signal),
  };
}
