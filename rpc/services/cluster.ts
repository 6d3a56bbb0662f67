// etcd's Cluster service (etcdserver/api/v3rpc/member.go): MemberList from the server core. Membership changes
// (MemberAdd/Remove/Update/Promote) need multi-member Raft, a later issue, and answer Unimplemented.
import type { ServiceImpl } from "@connectrpc/connect";
import { Cluster } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { notImplementedService } from "./not_implemented.ts";

export function clusterService(server: EtcdServerApi): ServiceImpl<typeof Cluster> {
  return { ...notImplementedService(Cluster), memberList: () => server.memberList() };
}
