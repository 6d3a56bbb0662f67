// A Connect Client<S> that calls a ServiceImpl<S> in this process: no transport, no serialization — the
// request messages reach the same service code (rpc/services/*) a network call reaches. The embedded store
// runs its KV, Lease, Watch and Maintenance through these, so its checks, errors and stream behaviour are
// the server's.
// Handler contexts: a unary call gets its method's one shared context, whose signal is the store's shutdown
// (etcd's services neither read nor write headers); a streaming call gets its own signal, aborted by the
// caller's signal or the shutdown, and unlinked from both when the stream ends — nothing accumulates per call.
// Invariants: requests are full messages (create() of an init shape; a message passes through unchanged);
// results are full messages; client-streaming methods are not used by etcd's API and are refused.
import { create, type DescMessage, type DescMethod, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { type CallOptions, type Client, createContextValues, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";

type AnyImpl = (input: unknown, ctx: HandlerContext) => unknown;
type Init = MessageInitShape<DescMessage>;

function context(service: DescService, method: DescMethod, signal: AbortSignal): HandlerContext {
  return {
    service, method, signal, protocolName: "in-process", requestMethod: "POST", url: `/${service.typeName}/${method.name}`,
    timeoutMs: () => undefined, requestHeader: new Headers(), responseHeader: new Headers(), responseTrailer: new Headers(),
    values: createContextValues(),
  };
}

/**
 * A signal aborted by `shutdown` or `caller`, and the function that unlinks it from both (also done when it
 * aborts, so a stream abandoned without being read to its end leaves nothing behind once aborted).
 */
function linkedSignal(shutdown: AbortSignal, caller: AbortSignal | undefined): { signal: AbortSignal; unlink: () => void } {
  const controller = new AbortController();
  const sources = caller ? [shutdown, caller] : [shutdown];
  const unlink = () => sources.forEach((s) => s.removeEventListener("abort", abort));
  function abort() {
    controller.abort();
    unlink();
  }
  for (const s of sources) s.addEventListener("abort", abort);
  if (sources.some((s) => s.aborted)) abort();
  return { signal: controller.signal, unlink };
}

/** A stream of init shapes as full messages of `schema`; `done` runs once when the stream ends. */
async function* messages(schema: DescMessage, inits: AsyncIterable<Init>, done?: () => void): AsyncGenerator<unknown> {
  try {
    for await (const init of inits) yield create(schema, init);
  } finally {
    done?.();
  }
}

/** `impl` as a client of `service`; calls see `shutdown` aborted when the embedded server stops. */
export function localClient<S extends DescService>(service: S, impl: ServiceImpl<S>, shutdown: AbortSignal): Client<S> {
  const client: Record<string, unknown> = {};
  for (const m of service.methods) {
    const fn = (impl as Record<string, AnyImpl>)[m.localName]!.bind(impl) as AnyImpl;
    const stream = (input: unknown, opts?: CallOptions) => {
      const { signal, unlink } = linkedSignal(shutdown, opts?.signal);
      return messages(m.output, fn(input, context(service, m, signal)) as AsyncIterable<Init>, unlink);
    };
    switch (m.methodKind) {
      case "unary": {
        const ctx = context(service, m, shutdown);
        client[m.localName] = async (req: Init) => create(m.output, (await fn(create(m.input, req), ctx)) as Init);
        break;
      }
      case "server_streaming":
        client[m.localName] = (req: Init, opts?: CallOptions) => stream(create(m.input, req), opts);
        break;
      case "bidi_streaming":
        client[m.localName] = (reqs: AsyncIterable<Init>, opts?: CallOptions) => stream(messages(m.input, reqs), opts);
        break;
      default:
        client[m.localName] = () => Promise.reject(new Error(`bunetcd: ${m.name} (client streaming) is not available in process`));
    }
  }
  return client as Client<S>;
}
