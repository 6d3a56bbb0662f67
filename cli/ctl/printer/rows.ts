// The rows etcdctl builds once and prints as "a, b, c" lines (simple) or as a table: member list, endpoint
// status and hashkv, endpoint health (printer.go's make*Table functions).
import type { MemberListResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { hex, humanizeBytes } from "../gofmt.ts";
import type { EpHashKV, EpHealth, EpStatus } from "./types.ts";

export type Table = { hdr: string[]; rows: string[][] };

export function memberListTable(r: MemberListResponse): Table {
  return {
    hdr: ["ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"],
    rows: r.members.map((m) => [
      hex(m.ID),
      m.name.length === 0 ? "unstarted" : "started",
      m.name,
      m.peerURLs.join(","),
      m.clientURLs.join(","),
      m.isLearner ? "true" : "false",
    ]),
  };
}

export function endpointHealthTable(hs: EpHealth[]): Table {
  return { hdr: ["endpoint", "health", "took", "error"], rows: hs.map((h) => [h.ep, String(h.health), h.took, h.error]) };
}

export function endpointStatusTable(ss: EpStatus[]): Table {
  return {
    hdr: ["endpoint", "ID", "version", "db size", "is leader", "is learner", "raft term", "raft index", "raft applied index", "errors"],
    rows: ss.map(({ ep, resp }) => {
      const memberId = resp.header?.memberId ?? 0n;
      return [
        ep,
        hex(memberId),
        resp.version,
        humanizeBytes(resp.dbSize),
        String(resp.leader === memberId),
        String(resp.isLearner),
        String(resp.raftTerm),
        String(resp.raftIndex),
        String(resp.raftAppliedIndex),
        resp.errors.join(", "),
      ];
    }),
  };
}

export function endpointHashKVTable(hs: EpHashKV[]): Table {
  return { hdr: ["endpoint", "hash"], rows: hs.map((h) => [h.ep, String(h.resp.hash)]) };
}
