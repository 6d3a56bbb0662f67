// etcd's Cluster service (etcdserver/api/v3rpc/member.go): MemberList, and the membership changes of the
// server core (engine/server/member_change.ts). MemberAdd checks its peer URLs as etcd's types.NewURLs does
// (etcd answers "given member URLs are invalid") and passes them on trimmed and sorted. The changes pass the
// auth-token hook (auth_token.ts) first, as etcd's checkMembershipOperationPermission.
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { Cluster, MemberAddRequestSchema } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { urlsProblem } from "../../cli/server/parse_flags.ts";
import { rpcError, rpctypes } from "../errors.ts";
import { authorized, invalidTokenRpc } from "./auth_token.ts";

export function clusterService(server: EtcdServerApi): ServiceImpl<typeof Cluster> {
  return {
    memberList: () => server.memberList(),
    memberAdd: async (req, ctx) => {
      const urls = req.peerURLs.map((u) => u.trim());
      if (urlsProblem(urls.join(",")) !== null) throw rpcError(rpctypes.MemberBadURLs);
      return authorized(ctx, server, invalidTokenRpc, () => server.memberAdd(create(MemberAddRequestSchema, { peerURLs: urls.sort(), isLearner: req.isLearner })));
    },
    memberRemove: (req, ctx) => authorized(ctx, server, invalidTokenRpc, () => server.memberRemove(req)),
    memberUpdate: (req, ctx) => authorized(ctx, server, invalidTokenRpc, () => server.memberUpdate(req)),
    memberPromote: (req, ctx) => authorized(ctx, server, invalidTokenRpc, () => server.memberPromote(req)),
  };
}
