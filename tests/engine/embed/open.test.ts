// open(): the embedded store's life cycle — data survives close and reopen (keys, revisions, leases), one open
// per directory (a second open, in this process or another, fails with DataDirLockedError), calls after close()
// fail, and watches end when the store closes.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataDirLockedError } from "../../../engine/embed/errors.ts";
import { open } from "../../../engine/embed/open.ts";
import { EtcdError } from "../../../rpc/client/errors.ts";
import { tempDirs } from "../../support/tmp.ts";

const dirs = tempDirs("bunetcd-open");
afterAll(() => dirs.cleanup());
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

describe("open()", () => {
  test("writes etcd's layout; close and reopen keep keys, revisions and leases", async () => {
    const dir = join(dirs.make(), "data");
    const db = await open({ dir });
    expect(existsSync(join(dir, "member", "wal"))).toBe(true);
    expect(existsSync(join(dir, "member", "snap", "db"))).toBe(true);
    const lease = await db.lease.grant(600);
    const a = await db.put("a", "1", { lease: lease.id });
    const b = await db.put("b", new Uint8Array([1, 2, 3]));
    await db.close();
    await db.close(); // idempotent

    const again = await open({ dir });
    expect(await again.get("a")).toMatchObject({ modRevision: a.revision, lease: lease.id });
    expect(text((await again.get("a"))?.value)).toBe("1");
    expect((await again.get("b"))?.value).toEqual(new Uint8Array([1, 2, 3]));
    const r = await again.range({ prefix: "" });
    expect(r.revision).toBe(b.revision);
    expect(r.count).toBe(2);
    expect((await again.lease.timeToLive(lease.id, { keys: true }))?.keys.map(text)).toEqual(["a"]);
    expect((await again.put("c", "3")).revision).toBe(b.revision + 1);
    await again.close();
  });

  test("a second open of the same directory in this process is refused with a clear error", async () => {
    const dir = dirs.make();
    const db = await open({ dir });
    const err = await open({ dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toBe(`bunetcd: data directory ${JSON.stringify(dir)} is in use by another bunetcd or etcd (in this process or another); close it first`);
    await db.put("still", "works");
    await db.close();
    const reopened = await open({ dir });
    expect(text((await reopened.get("still"))?.value)).toBe("works");
    await reopened.close();
  });

  test("a directory open in another process is refused; free again once that process closes it", async () => {
    const dir = dirs.make();
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "hold_dir.ts"), dir], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
    try {
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toBe("open\n");
      const err = await open({ dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirLockedError);
      child.stdin.end();
      expect(await child.exited).toBe(0);
      const db = await open({ dir });
      expect(text((await db.get("held"))?.value)).toBe("yes");
      await db.close();
    } finally {
      child.kill();
      await child.exited;
    }
  });

  test("after close(), calls fail with EtcdError Canceled and open watches end", async () => {
    const db = await open({ dir: dirs.make() });
    const w = db.watch({ prefix: "" });
    await w.ready;
    const events: string[] = [];
    let seen!: () => void;
    const first = new Promise<void>((r) => (seen = r));
    const loop = (async () => {
      for await (const ev of w) {
        events.push(text(ev.kv.key)!);
        seen();
      }
      return "ended";
    })();
    await db.put("x", "1");
    await first;
    await db.close();
    expect(await loop).toBe("ended");
    expect(events).toEqual(["x"]);
    const err = await db.get("x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EtcdError);
    expect(err).toMatchObject({ code: "Canceled" });
  });

  test("`await using` closes the store at the end of the block", async () => {
    const dir = dirs.make();
    {
      await using db = await open({ dir });
      await db.put("k", "v");
    }
    await using again = await open({ dir });
    expect(text((await again.get("k"))?.value)).toBe("v");
  });

  test("options are checked", async () => {
    await expect(open({ dir: "" })).rejects.toThrow(TypeError);
  });
});
