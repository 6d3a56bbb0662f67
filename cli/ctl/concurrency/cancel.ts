// Go's context cancellation for the recipes: an AbortSignal stands for the ctx, and an aborted wait fails
// with ContextCanceled ("context canceled", ctx.Err()'s text, which etcdctl prints as "Error: context canceled").
export class ContextCanceled extends Error {
  constructor() {
    super("context canceled");
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ContextCanceled();
}

/** p, or ContextCanceled as soon as the signal aborts (p keeps running; its outcome is ignored). */
export function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(new ContextCanceled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ContextCanceled());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
