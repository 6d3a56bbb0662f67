// The seam between the library's client logic (etcd_client.ts) and where requests go: etcd's services as
// Connect clients. connect() builds them over a Transport; open() (engine/embed) over the service
// implementations in this process, so both run the same request/response code.
import type { Client } from "@connectrpc/connect";
import type { KV, Lease, Maintenance, Watch } from "../gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";

export interface EtcdServices {
  kv: Client<typeof KV>;
  lease: Client<typeof Lease>;
  /** A Watch stream may carry one watcher only; a half-duplex one sends only its first request. */
  watch: Client<typeof Watch>;
  maintenance: Client<typeof Maintenance>;
  /**
   * True when a stream carries requests while responses flow (gRPC over HTTP/2, in-process). False for
   * browser-style transports (fetch): each stream then sends one request, and keep-alives open one per renewal.
   */
  fullDuplex: boolean;
  /**
   * True for a remote server: a stream that breaks (ends without a cancel, or fails Unavailable) is reopened.
   * False in process, where streams end only because the store closes.
   */
  reconnect: boolean;
  /** Releases what the services hold (the connection, or the embedded member). */
  close(): Promise<void>;
}
