// `etcdctl defrag --data-dir DIR`: defragments a data directory not in use by a server, as etcd's
// backend.Defrag does — every live bucket and key copied into a fresh file next to member/snap/db, which then
// replaces it. A server holding the file's lock makes this wait, with etcdctl's notice after one second.
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compact } from "../../../engine/backend/compact.ts";
import { DB } from "../../../engine/backend/db.ts";
import { ETCD_FILL_PERCENT } from "../../backend.ts";
import type { Sink } from "../io.ts";

const RETRY_MS = 100;

async function openWhenFree(path: string, sink: Sink): Promise<DB> {
  const started = performance.now();
  let warned = false;
  for (;;) {
    try {
      return DB.open(path);
    } catch (e) {
      if (!/lock|EAGAIN|EWOULDBLOCK/i.test((e as Error).message)) throw e;
      if (!warned && performance.now() - started >= 1000) {
        warned = true;
        sink.err(`waiting for etcd to close and release its lock on ${JSON.stringify(path)}. To defrag a running etcd instance, omit --data-dir.\n`);
      }
      await Bun.sleep(RETRY_MS);
    }
  }
}

export async function defragDataDir(dataDir: string, sink: Sink): Promise<void> {
  const dbPath = join(dataDir, "member", "snap", "db");
  const src = await openWhenFree(dbPath, sink);
  const tmpPath = `${dbPath}.tmp`;
  rmSync(tmpPath, { force: true });
  try {
    const dst = DB.open(tmpPath, { fillPercent: ETCD_FILL_PERCENT });
    compact(src, dst);
    dst.close();
    renameSync(tmpPath, dbPath);
  } finally {
    src.close();
  }
}
