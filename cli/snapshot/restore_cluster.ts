// The new cluster a restore bootstraps, from --name, --initial-cluster, --initial-cluster-token and
// --initial-advertise-peer-urls, checked as etcd 3.4 checks them (types.NewURLs, ServerConfig.
// VerifyBootstrap) with the same error texts. Member ids and the cluster id are derived as etcd derives
// them; members come out sorted by id (etcd's RaftCluster.Members order).
import { clusterId as deriveClusterId, memberId as deriveMemberId } from "../../engine/server/ids.ts";
import type { Member } from "../../engine/server/membership.ts";
import { GoError, goQuote } from "./go_errors.ts";

export interface RestoreCluster {
  members: Member[];
  local: Member;
  clusterId: bigint;
}

/** Go's net.SplitHostPort accepts "host:port" and "[v6]:port". */
function isHostPort(h: string): boolean {
  return /^\[[^\]]*\]:[^:]*$/.test(h) || /^[^:[\]]*:[^:]*$/.test(h);
}

/** types.NewURLs: validated, trimmed, sorted. */
export function parseUrls(strs: string[]): string[] {
  if (strs.length === 0) throw new GoError("no valid URLs given");
  const out = strs.map((raw) => {
    const s = raw.trim();
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(s);
    const scheme = m?.[1].toLowerCase() ?? "";
    if (!["http", "https", "unix", "unixs"].includes(scheme)) throw new GoError(`URL scheme must be http, https, unix, or unixs: ${s}`);
    const rest = m![2];
    const authority = rest.startsWith("//") ? /^\/\/([^/?#]*)/.exec(rest)![1] : "";
    const host = authority.slice(authority.lastIndexOf("@") + 1);
    if (!isHostPort(host)) throw new GoError(`URL address does not have the form "host:port": ${s}`);
    const path = rest.startsWith("//") ? rest.slice(2 + authority.length).replace(/[?#].*$/, "") : rest;
    if (path !== "") throw new GoError(`URL must not contain a path: ${s}`);
    return s;
  });
  return out.sort();
}

/** types.NewURLsMap: "name=url,name=url", a name repeated for several URLs. */
export function parseUrlsMap(s: string): Map<string, string[]> {
  const raw = new Map<string, string[]>();
  for (const part of s.split(",")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const [name, url] = eq >= 0 ? [part.slice(0, eq), part.slice(eq + 1)] : [part, ""];
    raw.set(name, [...(raw.get(name) ?? []), url]);
  }
  const out = new Map<string, string[]>();
  for (const [name, urls] of raw) out.set(name, parseUrls(urls));
  return out;
}

function goQuoteList(xs: string[]): string {
  return `[${xs.map(goQuote).join(" ")}]`;
}

function urlsMapString(m: Map<string, string[]>): string {
  return [...m.keys()].sort().flatMap((n) => m.get(n)!.map((u) => `${n}=${u}`)).join(",");
}

/** ServerConfig.advertiseMatchesCluster, comparing URL strings (etcd resolves host names first). */
function checkAdvertise(name: string, cluster: Map<string, string[]>, peerUrls: string[]): void {
  const urls = [...cluster.get(name)!].sort();
  const ap = [...peerUrls].sort();
  let why = "";
  if (urls.length !== ap.length) why = `len(${goQuoteList(ap)}) != len(${goQuoteList(urls)})`;
  else {
    const i = ap.findIndex((u, k) => u !== urls[k]);
    if (i < 0) return;
    why = `resolved urls: ${goQuote(ap[i])} != ${goQuote(urls[i])}`;
  }
  const missing = urls.filter((u) => !ap.includes(u));
  if (missing.length > 0) {
    throw new GoError(`--initial-cluster has ${missing.map((u) => `${name}=${u}`).join(",")} but missing from --initial-advertise-peer-urls=${ap.join(",")} (${why})`);
  }
  const extra = ap.filter((u) => !urls.includes(u));
  const umap = urlsMapString(new Map([[name, peerUrls]]));
  if (extra.length > 0) throw new GoError(`--initial-advertise-peer-urls has ${extra.join(",")} but missing from --initial-cluster=${umap}`);
  throw new GoError(`failed to resolve ${ap.join(",")} to match --initial-cluster=${umap} (${why})`);
}

export function restoreCluster(opts: { name: string; initialCluster: string; token: string; peerUrls: string[] }): RestoreCluster {
  const peerUrls = parseUrls(opts.peerUrls);
  const cluster = parseUrlsMap(opts.initialCluster);
  if (!cluster.has(opts.name)) throw new GoError(`couldn't find local name ${goQuote(opts.name)} in the initial cluster configuration`);
  checkAdvertise(opts.name, cluster, peerUrls);
  const all = [...cluster.values()].flat();
  if (new Set(all).size !== all.length) throw new GoError(`initial cluster ${urlsMapString(cluster)} has duplicate url`);
  const members: Member[] = [...cluster].map(([name, urls]) => ({
    id: deriveMemberId(urls, opts.token),
    name,
    peerURLs: urls,
    clientURLs: [],
    isLearner: false,
  }));
  members.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { members, local: members.find((m) => m.name === opts.name)!, clusterId: deriveClusterId(members.map((m) => m.id)) };
}
