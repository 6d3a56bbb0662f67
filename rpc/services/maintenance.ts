// etcd's Maintenance service (etcdserver/api/v3rpc/maintenance.go): Status, Alarm, Hash and HashKV come from the
// server core (it fills headers, alarms and raft state exactly as maintenance.go does), and so do Defragment and
// Snapshot (the backend file streamed, then its sha256), and MoveLeader (engine/server/move_leader.ts).
import type { ServiceImpl } from "@connectrpc/connect";
import { Maintenance } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";

export function maintenanceService(server: EtcdServerApi): ServiceImpl<typeof Maintenance> {
  return {
    status: () => server.status(),
    alarm: (req) => server.alarm(req),
    hash: () => server.hash(),
    hashKV: (req) => server.hashKV(req),
    defragment: () => server.defragment(),
    snapshot: (_req, ctx) => server.snapshot(ctx.signal),
    moveLeader: (req, ctx) => server.moveLeader(req, ctx.signal),
  };
}
