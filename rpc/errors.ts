// etcd's server-side gRPC errors (etcd v3.4 etcdserver/api/v3rpc/rpctypes/error.go): every ErrGRPC* status
// with its exact message text and gRPC code. Clients (clientv3, etcdctl, jetcd, …) match on the message text,
// so these strings must never be reworded. Services throw them with `throw rpcError(rpctypes.RequestTooLarge)`;
// the transports carry code and message unchanged (gRPC: grpc-status / grpc-message trailers).
import { Code, ConnectError } from "@connectrpc/connect";

/** One etcd gRPC error: the gRPC status code and the message clients compare against. */
export interface EtcdRpcError {
  readonly code: Code;
  readonly message: string;
}

const e = (code: Code, message: string): EtcdRpcError => Object.freeze({ code, message });

/** The rpctypes table, keyed by the Go name without its `ErrGRPC` prefix. */
export const rpctypes = Object.freeze({
  EmptyKey: e(Code.InvalidArgument, "etcdserver: key is not provided"),
  KeyNotFound: e(Code.InvalidArgument, "etcdserver: key not found"),
  ValueProvided: e(Code.InvalidArgument, "etcdserver: value is provided"),
  LeaseProvided: e(Code.InvalidArgument, "etcdserver: lease is provided"),
  TooManyOps: e(Code.InvalidArgument, "etcdserver: too many operations in txn request"),
  DuplicateKey: e(Code.InvalidArgument, "etcdserver: duplicate key given in txn request"),
  Compacted: e(Code.OutOfRange, "etcdserver: mvcc: required revision has been compacted"),
  FutureRev: e(Code.OutOfRange, "etcdserver: mvcc: required revision is a future revision"),
  NoSpace: e(Code.ResourceExhausted, "etcdserver: mvcc: database space exceeded"),

  LeaseNotFound: e(Code.NotFound, "etcdserver: requested lease not found"),
  LeaseExist: e(Code.FailedPrecondition, "etcdserver: lease already exists"),
  LeaseTTLTooLarge: e(Code.OutOfRange, "etcdserver: too large lease TTL"),

  WatchCanceled: e(Code.Canceled, "etcdserver: watch canceled"),

  MemberExist: e(Code.FailedPrecondition, "etcdserver: member ID already exist"),
  PeerURLExist: e(Code.FailedPrecondition, "etcdserver: Peer URLs already exists"),
  MemberNotEnoughStarted: e(Code.FailedPrecondition, "etcdserver: re-configuration failed due to not enough started members"),
  MemberBadURLs: e(Code.InvalidArgument, "etcdserver: given member URLs are invalid"),
  MemberNotFound: e(Code.NotFound, "etcdserver: member not found"),
  MemberNotLearner: e(Code.FailedPrecondition, "etcdserver: can only promote a learner member"),
  LearnerNotReady: e(Code.FailedPrecondition, "etcdserver: can only promote a learner member which is in sync with leader"),
  TooManyLearners: e(Code.FailedPrecondition, "etcdserver: too many learner members in cluster"),

  RequestTooLarge: e(Code.InvalidArgument, "etcdserver: request is too large"),
  RequestTooManyRequests: e(Code.ResourceExhausted, "etcdserver: too many requests"),

  RootUserNotExist: e(Code.FailedPrecondition, "etcdserver: root user does not exist"),
  RootRoleNotExist: e(Code.FailedPrecondition, "etcdserver: root user does not have root role"),
  UserAlreadyExist: e(Code.FailedPrecondition, "etcdserver: user name already exists"),
  UserEmpty: e(Code.InvalidArgument, "etcdserver: user name is empty"),
  UserNotFound: e(Code.FailedPrecondition, "etcdserver: user name not found"),
  RoleAlreadyExist: e(Code.FailedPrecondition, "etcdserver: role name already exists"),
  RoleNotFound: e(Code.FailedPrecondition, "etcdserver: role name not found"),
  RoleEmpty: e(Code.InvalidArgument, "etcdserver: role name is empty"),
  AuthFailed: e(Code.InvalidArgument, "etcdserver: authentication failed, invalid user ID or password"),
  PermissionDenied: e(Code.PermissionDenied, "etcdserver: permission denied"),
  RoleNotGranted: e(Code.FailedPrecondition, "etcdserver: role is not granted to the user"),
  PermissionNotGranted: e(Code.FailedPrecondition, "etcdserver: permission is not granted to the role"),
  AuthNotEnabled: e(Code.FailedPrecondition, "etcdserver: authentication is not enabled"),
  InvalidAuthToken: e(Code.Unauthenticated, "etcdserver: invalid auth token"),
  InvalidAuthMgmt: e(Code.InvalidArgument, "etcdserver: invalid auth management"),
  AuthOldRevision: e(Code.InvalidArgument, "etcdserver: revision of auth store is old"),

  NoLeader: e(Code.Unavailable, "etcdserver: no leader"),
  NotLeader: e(Code.FailedPrecondition, "etcdserver: not leader"),
  LeaderChanged: e(Code.Unavailable, "etcdserver: leader changed"),
  NotCapable: e(Code.Unavailable, "etcdserver: not capable"),
  Stopped: e(Code.Unavailable, "etcdserver: server stopped"),
  Timeout: e(Code.Unavailable, "etcdserver: request timed out"),
  TimeoutDueToLeaderFail: e(Code.Unavailable, "etcdserver: request timed out, possibly due to previous leader failure"),
  TimeoutDueToConnectionLost: e(Code.Unavailable, "etcdserver: request timed out, possibly due to connection lost"),
  TimeoutWaitAppliedIndex: e(Code.Unavailable, "etcdserver: request timed out, waiting for the applied index took too long"),
  Unhealthy: e(Code.Unavailable, "etcdserver: unhealthy cluster"),
  Corrupt: e(Code.DataLoss, "etcdserver: corrupt cluster"),
  NotSupportedForLearner: e(Code.Unavailable, "etcdserver: rpc not supported for learner"),
  BadLeaderTransferee: e(Code.FailedPrecondition, "etcdserver: bad leader transferee"),
});

export type RpcTypeName = keyof typeof rpctypes;

/** The error a service throws for an etcd rpctypes entry; every transport sends its code and exact message. */
export function rpcError(err: EtcdRpcError): ConnectError {
  return new ConnectError(err.message, err.code);
}

const byMessage = new Map<string, EtcdRpcError>(Object.values(rpctypes).map((v) => [v.message, v]));

/** Client side: the rpctypes entry whose message is `message` (like Go's rpctypes.Error), if any. */
export function rpcTypeOfMessage(message: string): EtcdRpcError | undefined {
  return byMessage.get(message);
}
