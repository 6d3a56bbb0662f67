// etcd's Watch service: watch streams come in issue 7. Until then the stream ends at once with Unimplemented
// instead of "unknown service".
import type { ServiceImpl } from "@connectrpc/connect";
import { Watch } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { notImplementedService } from "./not_implemented.ts";

export const watchService = (): ServiceImpl<typeof Watch> => notImplementedService(Watch);
