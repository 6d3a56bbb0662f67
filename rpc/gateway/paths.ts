// The URL paths of etcd 3.4's JSON gateway (etcdserver/etcdserverpb/gw/rpc.pb.gw.go patterns), each mapped to
// the gRPC method it forwards to. All are POST with the whole body as the request ("body: *").
// etcd quirks kept: /v3/maintenance/hash is registered for both Hash and HashKV, and grpc-gateway's mux takes
// the first registration, so it always runs Hash (HashKV is unreachable over the gateway); three lease methods
// have a second path under /v3/kv/lease/. Paths under /v3beta/ are rewritten to /v3/ (embed/serve.go).
import type { DescMethod } from "@bufbuild/protobuf";
import { Auth, Cluster, KV, Lease, Maintenance, Watch } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";

const table: [string, DescMethod][] = [
  ["/v3/kv/range", KV.method.range],
  ["/v3/kv/put", KV.method.put],
  ["/v3/kv/deleterange", KV.method.deleteRange],
  ["/v3/kv/txn", KV.method.txn],
  ["/v3/kv/compaction", KV.method.compact],
  ["/v3/watch", Watch.method.watch],
  ["/v3/lease/grant", Lease.method.leaseGrant],
  ["/v3/lease/revoke", Lease.method.leaseRevoke],
  ["/v3/kv/lease/revoke", Lease.method.leaseRevoke],
  ["/v3/lease/keepalive", Lease.method.leaseKeepAlive],
  ["/v3/lease/timetolive", Lease.method.leaseTimeToLive],
  ["/v3/kv/lease/timetolive", Lease.method.leaseTimeToLive],
  ["/v3/lease/leases", Lease.method.leaseLeases],
  ["/v3/kv/lease/leases", Lease.method.leaseLeases],
  ["/v3/cluster/member/add", Cluster.method.memberAdd],
  ["/v3/cluster/member/remove", Cluster.method.memberRemove],
  ["/v3/cluster/member/update", Cluster.method.memberUpdate],
  ["/v3/cluster/member/list", Cluster.method.memberList],
  ["/v3/cluster/member/promote", Cluster.method.memberPromote],
  ["/v3/maintenance/alarm", Maintenance.method.alarm],
  ["/v3/maintenance/status", Maintenance.method.status],
  ["/v3/maintenance/defragment", Maintenance.method.defragment],
  ["/v3/maintenance/hash", Maintenance.method.hash],
  ["/v3/maintenance/snapshot", Maintenance.method.snapshot],
  ["/v3/maintenance/transfer-leadership", Maintenance.method.moveLeader],
  ["/v3/auth/enable", Auth.method.authEnable],
  ["/v3/auth/disable", Auth.method.authDisable],
  ["/v3/auth/authenticate", Auth.method.authenticate],
  ["/v3/auth/user/add", Auth.method.userAdd],
  ["/v3/auth/user/get", Auth.method.userGet],
  ["/v3/auth/user/list", Auth.method.userList],
  ["/v3/auth/user/delete", Auth.method.userDelete],
  ["/v3/auth/user/changepw", Auth.method.userChangePassword],
  ["/v3/auth/user/grant", Auth.method.userGrantRole],
  ["/v3/auth/user/revoke", Auth.method.userRevokeRole],
  ["/v3/auth/role/add", Auth.method.roleAdd],
  ["/v3/auth/role/get", Auth.method.roleGet],
  ["/v3/auth/role/list", Auth.method.roleList],
  ["/v3/auth/role/delete", Auth.method.roleDelete],
  ["/v3/auth/role/grant", Auth.method.roleGrantPermission],
  ["/v3/auth/role/revoke", Auth.method.roleRevokePermission],
];

export const GATEWAY_PATHS: ReadonlyMap<string, DescMethod> = new Map(table);

/** The gateway method for a request path (query string removed), after etcd's /v3beta/ → /v3/ rewrite. */
export function gatewayMethod(pathname: string): DescMethod | undefined {
  const p = pathname.startsWith("/v3beta/") ? "/v3/" + pathname.slice("/v3beta/".length) : pathname;
  return GATEWAY_PATHS.get(p);
}
