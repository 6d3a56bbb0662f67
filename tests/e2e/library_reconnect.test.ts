// connect() across a server restart: a watch resumes from the revision after its last event (nothing lost,
// nothing repeated — including a write made while the server was down, through open() on its directory),
// and a lease keep-alive keeps the lease through the outage. The server is serve() on a fixed free port,
// closed and started again on the same directory and port.
import { afterAll, expect, test } from "bun:test";
import { serve } from "../../cli/server/serve_in_process.ts";
import { open } from "../../engine/embed/open.ts";
import { connect } from "../../rpc/client/connect.ts";
import type { WatchEvent } from "../../rpc/client/types.ts";
import { freePort } from "../support/ports.ts";
import { tempDirs } from "../support/tmp.ts";

const dirs = tempDirs("bunetcd-library-reconnect");
afterAll(() => dirs.cleanup());
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await Bun.sleep(20);
  expect(cond()).toBe(true);
}

test("a remote watch and keep-alive survive a server restart", async () => {
  const dir = dirs.make();
  const listen = `127.0.0.1:${await freePort()}`;
  let server = await serve({ dir, listen, log: "silent" });
  const db = await connect(server.url);
  try {
    const lease = await db.lease.grant(4);
    await db.put("lease/k", "v", { lease: lease.id });
    const ka = await db.lease.keepAlive(lease.id);
    let kaEnded = false;
    void ka.done.then(() => (kaEnded = true), () => (kaEnded = true));

    const w = db.watch({ prefix: "r/" });
    await w.ready;
    const events: WatchEvent[] = [];
    let failure: unknown;
    const loop = (async () => {
      for await (const ev of w) events.push(ev);
    })().catch((e) => (failure = e));

    await db.put("r/a", "before");
    await until(() => events.length === 1);

    await server.close();
    const offline = await open({ dir });
    await offline.put("r/b", "while down");
    await offline.close();
    server = await serve({ dir, listen, log: "silent" });

    await db.put("r/c", "after");
    await until(() => events.length >= 3);
    await Bun.sleep(200); // nothing more may arrive (no duplicates)
    expect(events.map((e) => [text(e.kv.key), text(e.kv.value)])).toEqual([["r/a", "before"], ["r/b", "while down"], ["r/c", "after"]]);
    expect(events.map((e) => e.kv.modRevision)).toEqual([events[0]!.kv.modRevision, events[0]!.kv.modRevision + 1, events[0]!.kv.modRevision + 2]);

    // The lease outlives several of its TTLs only because the keep-alive came back.
    await Bun.sleep(6000);
    expect(kaEnded).toBe(false);
    expect(await db.get("lease/k")).toBeDefined();
    ka.close();
    w.close();
    await loop;
    expect(failure).toBeUndefined();
  } finally {
    await db.close();
    await server.close();
  }
}, 60_000);
