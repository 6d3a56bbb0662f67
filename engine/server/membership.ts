// Cluster membership as etcd 3.4 stores it in the backend: bucket `members` maps the member id in hex to
// the member's JSON ({"id":<uint64>,"peerURLs":[…],"name":…,"clientURLs":[…],"isLearner":…}, Go's
// json.Marshal of membership.Member), `members_removed` marks removed ids, `cluster` holds
// `clusterVersion`. The same JSON is the context of the ConfChange that adds or updates a member; a promotion's
// context is etcd's ConfigChangeContext (the member fields plus "isPromote"). Members are listed sorted by
// id (etcd's MembersByID). Ids are uint64, beyond JavaScript's exact integers, so the JSON is written and read
// with bigint ids.
import type { BatchTx } from "../mvcc/batch_tx.ts";

export interface Member {
  id: bigint;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
export const MEMBERS = enc.encode("members");
export const MEMBERS_REMOVED = enc.encode("members_removed");
export const CLUSTER = enc.encode("cluster");
const CLUSTER_VERSION = enc.encode("clusterVersion");

/** Go's json.Marshal(membership.Member): field order and omitempty rules included. */
export function memberJson(m: Member): string {
  let s = `{"id":${m.id.toString()},"peerURLs":${JSON.stringify(m.peerURLs)}`;
  if (m.isLearner) s += `,"isLearner":true`;
  if (m.name) s += `,"name":${JSON.stringify(m.name)}`;
  if (m.clientURLs.length) s += `,"clientURLs":${JSON.stringify(m.clientURLs)}`;
  return s + "}";
}

export function parseMemberJson(s: string): Member {
  // Quote the uint64 id before JSON.parse so it survives as an exact decimal string.
  const o = JSON.parse(s.replace(/"id"\s*:\s*(\d+)/, '"id":"$1"')) as Record<string, unknown>;
  return {
    id: BigInt(o.id as string),
    name: (o.name as string) ?? "",
    peerURLs: (o.peerURLs as string[]) ?? [],
    clientURLs: (o.clientURLs as string[]) ?? [],
    isLearner: !!o.isLearner,
  };
}

/** etcd's ConfigChangeContext: the member of an add (or just the id of a promotion) and the promotion flag. */
export interface ConfChangeContext {
  member: Member;
  isPromote: boolean;
}

/** Go's json.Marshal(ConfigChangeContext{Member{ID}, IsPromote: true}): a nil peerURLs slice is `null`. */
export function promoteContextJson(id: bigint): string {
  return `{"id":${id.toString()},"peerURLs":null,"isPromote":true}`;
}

export function parseConfChangeContext(s: string): ConfChangeContext {
  return { member: parseMemberJson(s), isPromote: /"isPromote"\s*:\s*true/.test(s) };
}

/** etcd's Member.IsStarted: a member has published its name once it ran. */
export function isStarted(m: Member): boolean {
  return m.name !== "";
}

export class Membership {
  readonly members = new Map<bigint, Member>();
  readonly removed = new Set<bigint>();
  clusterVersion = "";

  constructor(private readonly backend: BatchTx) {
    for (const b of [MEMBERS, MEMBERS_REMOVED, CLUSTER]) backend.createBucket(b);
  }

  /** Loads members, removed ids and the cluster version from the backend. */
  load(): void {
    this.members.clear();
    this.removed.clear();
    this.backend.bucket(MEMBERS).forEach((_k, v) => {
      if (v) {
        const m = parseMemberJson(dec.decode(v));
        this.members.set(m.id, m);
      }
    });
    this.backend.bucket(MEMBERS_REMOVED).forEach((k) => this.removed.add(BigInt(`0x${dec.decode(k)}`)));
    const v = this.backend.get(CLUSTER, CLUSTER_VERSION);
    this.clusterVersion = v ? dec.decode(v) : "";
  }

  /** All members sorted by id, as etcd lists them. */
  list(): Member[] {
    return [...this.members.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  save(m: Member): void {
    this.members.set(m.id, m);
    this.backend.put(MEMBERS, enc.encode(m.id.toString(16)), enc.encode(memberJson(m)));
  }

  remove(id: bigint): void {
    this.members.delete(id);
    this.removed.add(id);
    const key = enc.encode(id.toString(16));
    this.backend.delete(MEMBERS, key);
    this.backend.put(MEMBERS_REMOVED, key, enc.encode("removed"));
  }

  /**
   * Drops members not in `ids` without recording them as removed: a restored snapshot's backend lists the
   * old cluster's members, and etcd too takes the membership from the snapshot's configuration instead.
   */
  retainOnly(ids: bigint[]): void {
    for (const id of [...this.members.keys()]) {
      if (ids.includes(id)) continue;
      this.members.delete(id);
      this.backend.delete(MEMBERS, enc.encode(id.toString(16)));
    }
  }

  setClusterVersion(v: string): void {
    this.clusterVersion = v;
    this.backend.put(CLUSTER, CLUSTER_VERSION, enc.encode(v));
  }
}

/** Parses --initial-cluster ("name=url,name=url2,…") into name → peer URLs. */
export function parseInitialCluster(s: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of s.split(",").filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new Error(`${JSON.stringify(part)} is not in the form name=url`);
    const name = part.slice(0, eq);
    out.set(name, [...(out.get(name) ?? []), part.slice(eq + 1)]);
  }
  return out;
}
