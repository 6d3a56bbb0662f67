// Public surface of the RPC layer for the server/engine: the one-port server, etcd's error table, and the
// generated etcd protocol types/services (import messages and schemas from rpc/gen/... directly), and
// registerEtcdServices(), which puts every etcd service, the JSON gateway and /version /metrics /health on a server.
export { DEFAULT_MAX_RECV_BYTES, RpcServer, type RpcServerOptions, type RpcTlsOptions, type TlsHandshakeError } from "./server/rpc_server.ts";
export { rpcError, rpcTypeOfMessage, rpctypes, type EtcdRpcError, type RpcTypeName } from "./errors.ts";
export type { HttpExchange } from "./http/exchange.ts";
export type { HttpRouteHandler } from "./http/routes.ts";
export { sendText } from "./http/routes.ts";
export type { HealthCheck } from "./http/health.ts";
export { Auth, Cluster, KV, Lease, Maintenance, Watch } from "./gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
export { registerEtcdServices, type EtcdServicesOptions } from "./services/register.ts";
export { JsonGateway, type JsonGatewayOptions } from "./gateway/json_gateway.ts";
