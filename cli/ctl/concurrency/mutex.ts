// clientv3/concurrency.Mutex: the lock "<pfx>/" is held by the key under that prefix with the lowest create
// revision. Lock puts "<pfx>/<lease id in hex>" (empty value, on the session lease) unless this session
// already has it, then waits for every older key under the prefix to be deleted. Same keys, values and
// transactions as clientv3, so bunetcd and Go clients exclude each other on one cluster.
// Invariants: a Lock cancelled while waiting deletes its own key before failing; Unlock deletes the key.
import type { ResponseHeader } from "../../../rpc/gen/etcd/etcdserver/etcdserverpb/rpc_pb.ts";
import { raceAbort } from "./cancel.ts";
import { bytes, createRevIs, firstCreate, opGet, opGetKey, opPut } from "./ops.ts";
import type { Session } from "./session.ts";
import { waitDeletes } from "./wait_deletes.ts";

export class Mutex {
  readonly pfx: string;
  private myKey = "";
  private myRev = -1n;
  private hdr: ResponseHeader | undefined;

  constructor(
    private readonly s: Session,
    pfx: string,
  ) {
    this.pfx = `${pfx}/`;
  }

  async lock(signal: AbortSignal): Promise<void> {
    const client = this.s.client;
    this.myKey = `${this.pfx}${this.s.lease.toString(16)}`;
    const getOwner = opGet(firstCreate(this.pfx));
    const resp = await raceAbort(
      client.rpc((s, o) =>
        s.kv.txn(
          {
            compare: [createRevIs(this.myKey, 0n)],
            success: [opPut(this.myKey, "", this.s.lease), getOwner],
            failure: [opGetKey(this.myKey), getOwner],
          },
          o,
        ),
      { timeoutMs: null }),
      signal,
    );
    this.myRev = resp.header?.revision ?? 0n;
    const range = (i: number) => (resp.responses[i]?.response.case === "responseRange" ? resp.responses[i].response.value.kvs : []);
    if (!resp.succeeded) this.myRev = range(0)[0]!.createRevision;
    const owner = range(1);
    if (owner.length === 0 || owner[0]!.createRevision === this.myRev) {
      this.hdr = resp.header;
      return;
    }
    try {
      this.hdr = await waitDeletes(client, this.pfx, this.myRev - 1n, signal);
    } catch (e) {
      await this.unlock().catch(() => undefined);
      throw e;
    }
  }

  async unlock(): Promise<void> {
    const key = this.myKey;
    await this.s.client.rpc((s, o) => s.kv.deleteRange({ key: bytes(key) }, o), { timeoutMs: null });
    this.myKey = "\x00";
    this.myRev = -1n;
  }

  key(): string {
    return this.myKey;
  }

  /** The response header received on acquiring the lock. */
  header(): ResponseHeader | undefined {
    return this.hdr;
  }
}
