// The watch stream behind `etcdctl watch`: one Watch bidi stream (as clientv3 shares one per context),
// several watchers on it (interactive mode), every response printed as etcdctl's printWatchCh does —
// cancel notice on stderr, progress notifications, the response through the printer, then the exec command
// once per event with ETCD_WATCH_* in its environment. done() resolves when the server ends the stream or
// the last watcher is canceled.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type WatchCreateRequestSchema, type WatchRequest, WatchRequestSchema, type WatchResponse } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import type { CtlClient } from "../client.ts";
import { CtlError, ExitCode, ExitError, ExitInterrupted } from "../errors.ts";
import { goQuote } from "../gofmt.ts";
import { toRpcError } from "../grpc_errors.ts";
import type { Sink } from "../io.ts";
import type { Printer } from "../printer/types.ts";
import { eventTypeName } from "../printer/simple.ts";
import { Pushable } from "./pushable.ts";

const COMPACTED = "etcdserver: mvcc: required revision has been compacted";

/** clientv3 WatchResponse.Err() text for a canceled response. */
function cancelText(r: WatchResponse): string {
  if (r.compactRevision !== 0n) return COMPACTED;
  return r.cancelReason || "<nil>";
}

const isProgressNotify = (r: WatchResponse) =>
  r.events.length === 0 && !r.canceled && !r.created && r.compactRevision === 0n && (r.header?.revision ?? 0n) !== 0n;

export class WatchSession {
  private readonly requests = new Pushable<WatchRequest>();
  /** exec commands of watchers not yet confirmed by a created response, in creation order */
  private readonly pending: string[][] = [];
  private readonly execById = new Map<bigint, string[]>();
  private live = 0;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly cli: CtlClient,
    private readonly display: Printer,
    private readonly sink: Sink,
  ) {}

  watch(req: MessageInitShape<typeof WatchCreateRequestSchema>, execArgs: string[]): void {
    this.pending.push(execArgs);
    this.live++;
    this.requests.push(create(WatchRequestSchema, { requestUnion: { case: "createRequest", value: req } }));
    this.loop ??= this.run();
  }

  progress(): void {
    this.requests.push(create(WatchRequestSchema, { requestUnion: { case: "progressRequest", value: {} } }));
  }

  /** Resolves when the stream ends (server cancel or close); rejects with CtlError on stream failure. */
  done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  close(): void {
    this.requests.end();
  }

  private async run(): Promise<void> {
    const ep = await this.cli.pickEndpoint();
    const opts = await this.cli.callOptions(ep, { headers: { hasleader: "true" } });
    try {
      for await (const resp of this.cli.services(ep).watch.watch(this.requests, opts)) {
        if (resp.created) this.execById.set(resp.watchId, this.pending.shift() ?? []);
        if (resp.created && !resp.canceled && resp.events.length === 0) continue;
        await this.print(resp);
        if (resp.canceled && --this.live <= 0) return;
      }
    } catch (e) {
      if (e instanceof CtlError || e instanceof ExitCode) throw e;
      throw new CtlError(ExitInterrupted, toRpcError(e).message);
    } finally {
      this.requests.end();
    }
  }

  private async print(resp: WatchResponse): Promise<void> {
    if (resp.canceled) this.sink.err(`watch was canceled (${cancelText(resp)})\n`);
    if (isProgressNotify(resp)) this.sink.out(`progress notify: ${resp.header?.revision ?? 0n}\n`);
    this.display.watch(resp);
    const execArgs = this.execById.get(resp.watchId) ?? [];
    if (execArgs.length === 0) return;
    for (const ev of resp.events) {
      const p = Bun.spawn(execArgs, {
        stdout: "inherit",
        stderr: "inherit",
        env: {
          ...process.env,
          ETCD_WATCH_REVISION: String(resp.header?.revision ?? 0n),
          ETCD_WATCH_EVENT_TYPE: JSON.stringify(eventTypeName(ev.type)),
          ETCD_WATCH_KEY: goQuote(ev.kv?.key ?? new Uint8Array()),
          ETCD_WATCH_VALUE: goQuote(ev.kv?.value ?? new Uint8Array()),
        },
      });
      const code = await p.exited;
      if (code !== 0) {
        this.sink.err(`command ${goQuoteList(execArgs)} error (exit status ${code})\n`);
        throw new ExitCode(ExitError);
      }
    }
  }
}

/** Go's %q of a []string: ["a" "b"]. */
function goQuoteList(xs: string[]): string {
  return `[${xs.map((x) => goQuote(x)).join(" ")}]`;
}
