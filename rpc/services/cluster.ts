// etcd's Cluster service (etcdserver/api/v3rpc/member.go): MemberList, and the membership changes of the
// server core (engine/server/member_change.ts). MemberAdd checks its peer URLs as etcd's types.NewURLs does
// (etcd answers "given member URLs are invalid") and passes them on trimmed and sorted.
import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { Cluster, MemberAddRequestSchema } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { EtcdServerApi } from "../../engine/server/api.ts";
import { urlsProblem } from "../../cli/server/parse_flags.ts";
import { rpcError, rpctypes } from "../errors.ts";

export function clusterService(server: EtcdServerApi): ServiceImpl<typeof Cluster> {
  return {
    memberList: () => server.memberList(),
    memberAdd: async (req) => {
      const urls = req.peerURLs.map((u) => u.trim());
      if (urlsProblem(urls.join(",")) !== null) throw rpcError(rpctypes.MemberBadURLs);
      return server.memberAdd(create(MemberAddRequestSchema, { peerURLs: urls.sort(), isLearner: req.isLearner }));
    },
    memberRemove: (req) => server.memberRemove(req),
    memberUpdate: (req) => server.memberUpdate(req),
    memberPromote: (req) => server.memberPromote(req),
  };
}
