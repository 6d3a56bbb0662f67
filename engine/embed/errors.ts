// The embedded store's own error (not an etcd RPC status): the data directory is held by another open.
// Kept free of engine imports so the library entry can export it without loading the engine.
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  constructor(readonly dir: string) {
    super(`bunetcd: data directory ${JSON.stringify(dir)} is in use by another bunetcd or etcd (in this process or another); close it first`);
  }
}
