// connect(): the library's Etcd interface over the network, to bunetcd or a real etcd. By default gRPC over
// HTTP/2 (transport.ts, Bun and Node), one connection per endpoint; a browser passes its own Connect
// transport (createGrpcWebTransport / createConnectTransport from @connectrpc/connect-web) as `transport`.
// Such transports cannot stream requests (fetch), so the client runs half duplex there: a Watch stream
// sends only its create request (etcd keeps the stream open after the client's half-close), and each lease
// renewal is its own short LeaseKeepAlive stream. Endpoints: see endpoints.ts (failover, refused connections).
import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { KV, Lease, Maintenance, Watch } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { endpointsTransport } from "./endpoints.ts";
import { EtcdClient } from "./etcd_client.ts";
import type { EtcdServices } from "./services.ts";
import type { ClientTlsOptions } from "./transport.ts";
import type { Etcd } from "./types.ts";

export interface ConnectOptions {
  /** Endpoints as etcdctl takes them: "host:port", "http://host:port" or "https://host:port". */
  endpoints?: string[];
  /** TLS for the built-in gRPC transport (CA, client certificate); bare host:port endpoints then use https. */
  tls?: ClientTlsOptions;
  /**
   * A Connect transport to use instead of the built-in gRPC one (then `endpoints` and `tls` are not used), e.g. in a
   * browser `createGrpcWebTransport({ baseUrl })` from @connectrpc/connect-web against a bunetcd server.
   */
  transport?: Transport;
  /**
   * Whether `transport` can send requests while responses stream (HTTP/2 gRPC: yes; fetch-based: no).
   * Default: true for the built-in transport, false for a given one (half duplex works on both).
   */
  fullDuplex?: boolean;
  /** Largest response message accepted, in bytes (default 2 GiB, as etcd's clients). */
  readMaxBytes?: number;
}

/** `service` with its bidirectional methods declared server-streaming: one request, then the responses. */
function halfDuplex<S extends DescService>(service: S): S {
  const methods = service.methods.map((m) => (m.methodKind === "bidi_streaming" ? { ...m, methodKind: "server_streaming" as const } : m));
  return { ...service, methods, method: Object.fromEntries(methods.map((m) => [m.localName, m])) } as unknown as S;
}

/** Runs `call` on the first request of `requests` only (the rest is never sent). */
async function* firstOnly<I, O>(requests: AsyncIterable<I>, call: (first: I) => AsyncIterable<O>): AsyncGenerator<O> {
  for await (const first of requests) {
    yield* call(first);
    return;
  }
}

/** A client of a service with bidi methods, over a transport that can only send one request per stream. */
function halfDuplexClient<S extends DescService>(service: S, transport: Transport): Client<S> {
  const hd = createClient(halfDuplex(service), transport) as unknown as Record<string, (req: unknown, opts?: unknown) => unknown>;
  const out: Record<string, unknown> = { ...hd };
  for (const m of service.methods) {
    if (m.methodKind !== "bidi_streaming") continue;
    out[m.localName] = (reqs: AsyncIterable<unknown>, opts?: unknown) => firstOnly(reqs, (first) => hd[m.localName]!(first, opts) as AsyncIterable<unknown>);
  }
  return out as Client<S>;
}

function services(transport: Transport, fullDuplex: boolean, close: () => void): EtcdServices {
  const client = <S extends DescService>(s: S) => (fullDuplex ? createClient(s, transport) : halfDuplexClient(s, transport));
  return {
    kv: createClient(KV, transport), lease: client(Lease), watch: client(Watch), maintenance: createClient(Maintenance, transport),
    fullDuplex,
    reconnect: true,
    close: async () => close(),
  };
}

/** A client of a remote etcd or bunetcd: `connect("127.0.0.1:2379")` or `connect({ endpoints, tls })`. */
export async function connect(target: string | ConnectOptions): Promise<Etcd> {
  const o: ConnectOptions = typeof target === "string" ? { endpoints: [target] } : target;
  if (o.transport) return new EtcdClient(services(o.transport, o.fullDuplex ?? false, () => undefined));
  const endpoints = o.endpoints ?? [];
  if (endpoints.length === 0) throw new TypeError("bunetcd: connect() needs an endpoint or a transport");
  // Loaded on demand: the rest of the client runs in a browser, this transport only in Bun and Node.
  const { clientConnection } = await import("./transport.ts");
  const conns = endpoints.map((e) => clientConnection(e, { tls: o.tls, readMaxBytes: o.readMaxBytes }));
  const transport = endpointsTransport(conns.map((c) => c.transport));
  return new EtcdClient(services(transport, o.fullDuplex ?? true, () => conns.forEach((c) => c.close())));
}
