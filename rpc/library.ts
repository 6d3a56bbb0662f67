// bunetcd as a library — the package entry (`import { open, serve, connect } from "bunetcd"`):
//   open({ dir })                an etcd member inside this process, no listener (engine/embed);
//   serve({ dir, listen })       the full bunetcd server inside this process (cli/server);
//   connect(url | { endpoints }) a client of a remote bunetcd or etcd (rpc/client).
// open() and connect() return the same Etcd interface, so code can switch between embedded and remote.
// Invariant: this file's static imports stay browser-safe (protobuf, Connect, the client logic); the engine,
// the server and the Node/Bun gRPC transport are loaded on first use, so a browser bundle can use connect()
// with its own transport.
import type { OpenOptions } from "../engine/embed/options.ts";
import type { ServeHandle, ServeOptions } from "../cli/server/serve_in_process.ts";
import type { Etcd } from "./client/types.ts";

export { connect, type ConnectOptions } from "./client/connect.ts";
export { EtcdError, type EtcdErrorCode } from "./client/errors.ts";
export { DataDirLockedError } from "../engine/embed/errors.ts";
export type { ClientTlsOptions } from "./client/transport.ts";
export type { LogOption } from "../engine/embed/log_option.ts";
export type { OpenOptions, ServeHandle, ServeOptions };
export type * from "./client/types.ts";

/**
 * Opens (creating if needed) the etcd data directory `opts.dir` as a store in this process: etcd's engine
 * (WAL, Raft, MVCC backend, leases) without a network listener. Throws DataDirLockedError when another
 * bunetcd or etcd (or another open()) holds the directory. Close it with close().
 */
export async function open(opts: OpenOptions): Promise<Etcd> {
  return (await import("../engine/embed/open.ts")).open(opts);
}

/**
 * Starts the bunetcd server in this process on `opts.dir`, listening on `opts.listen` (port 0 = a free port,
 * reported in the handle's url). Resolves once it serves; stop it with close().
 */
export async function serve(opts: ServeOptions): Promise<ServeHandle> {
  return (await import("../cli/server/serve_in_process.ts")).serve(opts);
}
