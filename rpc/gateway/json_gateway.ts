// etcd 3.4's JSON gateway (grpc-gateway v1 over the gRPC services, embed/serve.go): POST /v3/<path> with a
// JSON request, answered by the same ServiceImpl objects the gRPC/Connect transports run — no second copy of
// any service logic. Unary methods answer one JSON message; server-streaming and bidi methods (Snapshot,
// Watch, LeaseKeepAlive) stream {"result":…} lines, a bidi body being read as a stream of JSON objects.
// Unknown path: 404 "Not Found"; a gateway path with a method other than POST: 405 (OPTIONS never gets here:
// the HTTP dispatcher answers it for every path).
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { HttpExchange } from "../http/exchange.ts";
import { sendText, type HttpRouteHandler } from "../http/routes.ts";
import { CORS_HEADERS } from "../http/cors.ts";
import { decodeJson, encodeJson } from "./json_codec.ts";
import { jsonObjects } from "./json_value_stream.ts";
import { gatewayMethod } from "./paths.ts";
import { sendJson, sendStream, sendUnaryError } from "./responses.ts";

/** The HandlerContext protocolName of calls made through the JSON gateway. */
export const GATEWAY_PROTOCOL = "grpc-gateway";

type AnyImpl = (input: unknown, ctx: HandlerContext) => unknown;

export interface JsonGatewayOptions {
  /** Largest JSON request body accepted (a unary request, or one object of a stream). */
  maxBodyBytes: number;
}

export class JsonGateway {
  private readonly impls = new Map<DescService, Partial<Record<string, AnyImpl>>>();

  constructor(private readonly opts: JsonGatewayOptions) {}

  /** Makes the gateway paths of `service` (paths.ts) call `impl`. */
  service<S extends DescService>(service: S, impl: Partial<ServiceImpl<S>>): this {
    this.impls.set(service, impl as Partial<Record<string, AnyImpl>>);
    return this;
  }

  /** The handler for RpcServer.routePrefix("/v3/") and ("/v3beta/"). */
  readonly handler: HttpRouteHandler = async (ex) => {
    const q = ex.path.indexOf("?");
    const method = gatewayMethod(q < 0 ? ex.path : ex.path.slice(0, q));
    if (!method) return sendText(ex, 404, "Not Found\n", undefined, { ...CORS_HEADERS, "x-content-type-options": "nosniff" });
    if (ex.method !== "POST") return sendText(ex, 405, "Method Not Allowed\n", undefined, { ...CORS_HEADERS, "x-content-type-options": "nosniff" });
    const impl = this.impls.get(method.parent)?.[method.localName];
    const ctx = createHandlerContext({
      service: method.parent, method, protocolName: GATEWAY_PROTOCOL, requestMethod: "POST",
      url: `http://${ex.authority}${ex.path}`, requestSignal: ex.signal, requestHeader: ex.header,
    });
    if (method.methodKind === "unary") return this.unary(ex, method, impl, ctx);
    return sendStream(ex, this.stream(ex, method, impl, ctx));
  };

  private async unary(ex: HttpExchange, method: DescMethod, impl: AnyImpl | undefined, ctx: HandlerContext): Promise<void> {
    try {
      if (!impl) throw unregistered(method);
      const req = decodeJson(method.input, await this.readBody(ex.body));
      const res = await impl(req, ctx);
      sendJson(ex, 200, encodeJson(method.output, res as never));
    } catch (e) {
      sendUnaryError(ex, e);
    }
  }

  private async *stream(ex: HttpExchange, method: DescMethod, impl: AnyImpl | undefined, ctx: HandlerContext): AsyncGenerator<string> {
    if (!impl) throw unregistered(method);
    const input = method.methodKind === "server_streaming"
      ? decodeJson(method.input, await this.readBody(ex.body))
      : this.requests(ex.body, method);
    for await (const res of impl(input, ctx) as AsyncIterable<unknown>) yield encodeJson(method.output, res as never);
  }

  private async *requests(body: AsyncIterable<Uint8Array>, method: DescMethod): AsyncGenerator<unknown> {
    for await (const text of jsonObjects(body)) {
      if (text.length > this.opts.maxBodyBytes) throw tooLarge(text.length, this.opts.maxBodyBytes);
      yield decodeJson(method.input, text);
    }
  }

  private async readBody(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of body) {
      size += c.length;
      if (size > this.opts.maxBodyBytes) throw tooLarge(size, this.opts.maxBodyBytes);
      chunks.push(c);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}

function unregistered(method: DescMethod): ConnectError {
  return new ConnectError(`unknown service ${method.parent.typeName}`, Code.Unimplemented);
}

/** Worded like grpc-go's receive limit error, which is what etcd's gateway relays for an oversized request. */
function tooLarge(size: number, max: number): ConnectError {
  return new ConnectError(`grpc: received message larger than max (${size} vs. ${max})`, Code.ResourceExhausted);
}
