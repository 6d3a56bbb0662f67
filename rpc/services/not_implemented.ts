// The honest answer for an etcd RPC whose feature bunetcd has not built yet: gRPC Unimplemented with
// "bunetcd: <Method> is not implemented yet". It keeps every etcd service path answered (never "unknown
// service") without pretending to succeed. Services spread notImplementedService(S) and override the methods
// they do build; a method leaves this file's reach simply by being implemented.
import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";

export function notImplemented(method: string): ConnectError {
  return new ConnectError(`bunetcd: ${method} is not implemented yet`, Code.Unimplemented);
}

/** Every method of `service` answering notImplemented(<its proto name>), with the right call shape per kind. */
export function notImplementedService<S extends DescService>(service: S): ServiceImpl<S> {
  const impl: Record<string, unknown> = {};
  for (const m of service.methods) {
    const err = () => notImplemented(m.name);
    switch (m.methodKind) {
      case "unary":
      case "client_streaming":
        impl[m.localName] = () => Promise.reject(err());
        break;
      case "server_streaming":
      case "bidi_streaming":
        // eslint-disable-next-line require-yield
        impl[m.localName] = async function* () {
          throw err();
        };
        break;
    }
  }
  return impl as ServiceImpl<S>;
}
