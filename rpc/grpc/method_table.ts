// The gRPC method table: request path ("/etcdserverpb.KV/Range") → the service implementation's MethodImplSpec.
// Built from the same ServiceImplSpec that feeds @connectrpc/connect's router, so gRPC, Connect and gRPC-web
// always run the very same implementation. Unimplemented methods answer Unimplemented (connect's default).
// Each entry carries its call-report label (service, method, type), built here once instead of per call.
import type { DescService } from "@bufbuild/protobuf";
import { createServiceImplSpec, type MethodImplSpec, type ServiceImpl } from "@connectrpc/connect";
import { callLabel, type CallLabel } from "./call_report.ts";

export interface GrpcMethod {
  service: DescService;
  spec: MethodImplSpec;
  label: CallLabel;
}

export class MethodTable {
  private readonly byPath = new Map<string, GrpcMethod>();
  private readonly services = new Set<string>();

  /** Registers every method of `service`; a method missing from `impl` answers Unimplemented. */
  add<S extends DescService>(service: S, impl: Partial<ServiceImpl<S>>): void {
    const spec = createServiceImplSpec(service, impl);
    this.services.add(service.typeName);
    for (const m of service.methods) {
      const path = `/${service.typeName}/${m.name}`;
      if (this.byPath.has(path)) throw new Error(`rpc: ${service.typeName} is already registered`);
      this.byPath.set(path, { service, spec: spec.methods[m.localName], label: callLabel(m) });
    }
  }

  hasService(typeName: string): boolean {
    return this.services.has(typeName);
  }

  get(path: string): GrpcMethod | undefined {
    return this.byPath.get(path);
  }
}
