// The HandlerContext handed to service implementations on the gRPC fast path. Same interface as
// @connectrpc/connect's createHandlerContext, but lazy: request headers, response headers/trailers and the abort
// signal are only built when a service touches them, so a unary call that ignores them allocates none of them.
// Invariant: `signal` aborts when the HTTP/2 stream is reset or closes before the call finished (client cancel, deadline,
// connection loss) or when the server shuts down.
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, type ContextValues, type HandlerContext } from "@connectrpc/connect";
import type { IncomingHttpHeaders } from "node:http2";
import type { GrpcStream } from "./grpc_stream.ts";

export class GrpcHandlerContext implements HandlerContext {
  readonly protocolName = "grpc";
  readonly requestMethod = "POST";
  private _requestHeader?: Headers;
  private _responseHeader?: Headers;
  private _responseTrailer?: Headers;
  private _values?: ContextValues;
  private _abort?: AbortController;
  private detach?: () => void;
  private finished = false;
  private readonly startedAt: number;

  constructor(
    readonly service: DescService,
    readonly method: DescMethod,
    private readonly stream: GrpcStream,
    private readonly headers: IncomingHttpHeaders,
    private readonly timeout: number | undefined,
    private readonly shutdown: AbortSignal,
  ) {
    this.startedAt = timeout === undefined ? 0 : performance.now();
  }

  get url(): string {
    return `http://${this.headers[":authority"] ?? "localhost"}${this.headers[":path"] ?? ""}`;
  }

  timeoutMs = (): number | undefined => (this.timeout === undefined ? undefined : this.timeout - (performance.now() - this.startedAt));

  get requestHeader(): Headers {
    if (!this._requestHeader) this._requestHeader = headersFromNode(this.headers);
    return this._requestHeader;
  }

  /** One request header (gRPC metadata) by lower-case name, without building a Headers object. */
  metadata(name: string): string | undefined {
    const v = this.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  get responseHeader(): Headers {
    return (this._responseHeader ??= new Headers());
  }

  get responseTrailer(): Headers {
    return (this._responseTrailer ??= new Headers());
  }

  get values(): ContextValues {
    return (this._values ??= createContextValues());
  }

  get signal(): AbortSignal {
    if (this._abort) return this._abort.signal;
    const ac = (this._abort = new AbortController());
    if (this.finished) return ac.signal;
    const cancel = () => ac.abort(new ConnectError("the client canceled the call or the connection closed", Code.Canceled));
    const stop = () => ac.abort(this.shutdown.reason);
    if (this.shutdown.aborted) stop();
    else if (this.stream.closed || this.stream.destroyed) cancel();
    else {
      this.stream.once("aborted", cancel);
      this.stream.once("close", cancel);
      this.shutdown.addEventListener("abort", stop, { once: true });
      this.detach = () => {
        this.stream.off("aborted", cancel);
        this.stream.off("close", cancel);
        this.shutdown.removeEventListener("abort", stop);
      };
    }
    return ac.signal;
  }

  /** Response headers a service set, if it set any. */
  get responseHeaderIfSet(): Headers | undefined {
    return this._responseHeader;
  }

  /** Response trailers a service set, if it set any. */
  get responseTrailerIfSet(): Headers | undefined {
    return this._responseTrailer;
  }

  /**
   * The call's deadline passed (grpc-go cancels the handler's context then): the signal aborts with `reason`, so the
   * implementation stops, before the responder ends the call.
   */
  expire(reason: Error): void {
    if (this.finished) return;
    (this._abort ??= new AbortController()).abort(reason);
  }

  /** Marks the call complete: a later stream close is not a cancellation. */
  finish(): void {
    this.finished = true;
    this.detach?.();
    this.detach = undefined;
  }
}

/** Fetch Headers from Node's header object, without HTTP/2 pseudo-headers. */
export function headersFromNode(h: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const k in h) {
    if (k.charCodeAt(0) === 58 /* ':' */) continue;
    const v = h[k];
    if (Array.isArray(v)) for (const x of v) out.append(k, x);
    else if (v !== undefined) out.append(k, v);
  }
  return out;
}
