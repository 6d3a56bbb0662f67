// etcd's Lease service: the lessor comes in issue 7. Until then every method (LeaseGrant, LeaseRevoke,
// LeaseKeepAlive, LeaseTimeToLive, LeaseLeases) answers Unimplemented instead of "unknown service".
import type { ServiceImpl } from "@connectrpc/connect";
import { Lease } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { notImplementedService } from "./not_implemented.ts";

export const leaseService = (): ServiceImpl<typeof Lease> => notImplementedService(Lease);
