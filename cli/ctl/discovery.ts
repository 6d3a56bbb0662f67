// --discovery-srv (pkg/srv.GetClient): the cluster's client endpoints from DNS SRV records
// _etcd-client-ssl._tcp.<domain> (https) and _etcd-client._tcp.<domain> (http, dropped with a notice unless
// --insecure-discovery). Both lookups failing is etcdctl's "dns lookup errors: …" (exit 1).
import { getServers, promises as dns } from "node:dns";
import { CtlError, ExitError } from "./errors.ts";
import type { Sink } from "./io.ts";

async function lookup(service: string, domain: string, scheme: string, serviceName: string): Promise<string[]> {
  const name = `_${service}${serviceName ? `-${serviceName}` : ""}._tcp.${domain}`;
  try {
    const recs = await dns.resolveSrv(name);
    return recs.map((r) => `${scheme}://${r.name.replace(/\.$/, "")}:${r.port}`);
  } catch {
    const server = getServers()[0] ?? "127.0.0.1";
    throw new Error(`lookup ${name} on ${server.includes(":") ? server : `${server}:53`}: no such host`);
  }
}

export async function discoverEndpoints(domain: string, serviceName: string, insecure: boolean, sink: Sink): Promise<string[]> {
  const errs: string[] = [];
  const found: string[] = [];
  for (const [service, scheme] of [["etcd-client-ssl", "https"], ["etcd-client", "http"]] as const) {
    try {
      found.push(...(await lookup(service, domain, scheme, serviceName)));
    } catch (e) {
      errs.push((e as Error).message);
    }
  }
  if (found.length === 0) throw new CtlError(ExitError, `dns lookup errors: ${errs.join(" and ")}`);
  if (insecure) return found;
  return found.filter((ep) => {
    if (!ep.startsWith("http://")) return true;
    sink.err(`ignoring discovered insecure endpoint ${JSON.stringify(ep)}\n`);
    return false;
  });
}
