// `lock` and `elect` of bunetcd's etcdctl against the real etcdctl 3.4, on one real etcd and then on one
// bunetcd server: the two tools take turns on one lock (each order), run a command under the lock with
// ETCD_LOCK_KEY/ETCD_LOCK_REV, and follow one election, with observers of both tools printing the same
// leader lines.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startBunetcd } from "../support/bunetcd.ts";
import { type Member, startEtcd } from "../support/etcd.ts";
import { tempDirs } from "../support/tmp.ts";
import type { Watched } from "../cli/ctl/concurrency/spawn.ts";
import { runTool, spawnTool, type Tool } from "../cli/ctl/concurrency/tools.ts";

const SERVERS = { etcd: startEtcd, bunetcd: startBunetcd };

for (const [serverName, startServer] of Object.entries(SERVERS)) {
  describe(`on ${serverName}`, () => {
    const dirs = tempDirs(`bunetcd-lock-elect-${serverName}`);
    let etcd: Member;
    const started: Watched[] = [];

    beforeAll(async () => {
      etcd = await startServer(dirs.make("server"));
    });
    afterAll(async () => {
      for (const w of started) w.kill();
      await etcd?.stop();
      dirs.cleanup();
    });

    async function spawn(tool: Tool, args: string[]): Promise<Watched> {
      const w = await spawnTool(tool, etcd.endpoint, args);
      started.push(w);
      return w;
    }

    const keysUnder = async (p: string) => (await etcd.etcdctl(["get", "--prefix", "--keys-only", `${p}/`])).stdout.split("\n").filter(Boolean);

    describe("lock", () => {
      for (const [first, second] of [["bunetcd", "etcdctl"], ["etcdctl", "bunetcd"]] as const) {
        test(`${first} holds, ${second} waits until the holder is interrupted`, async () => {
          const name = `lock-${first}-first`;
          const a = await spawn(first, ["lock", name]);
          const [, keyA] = await a.waitFor(/^(\S+)\n\n$/);
          expect(keyA).toMatch(new RegExp(`^${name}/[0-9a-f]+$`));
          const b = await spawn(second, ["lock", name]);
          await Bun.sleep(1500);
          expect(b.stdout()).toBe("");
          expect(await keysUnder(name)).toHaveLength(2);
          expect(await a.end()).toBe(0);
          const [, keyB] = await b.waitFor(/^(\S+)\n\n$/);
          expect(keyB).not.toBe(keyA);
          expect(await keysUnder(name)).toEqual([keyB!]);
          expect(await b.end()).toBe(0);
          expect(await keysUnder(name)).toEqual([]);
          expect(a.stderr() + b.stderr()).toBe("");
        }, 30_000);

        test(`${second} interrupted while waiting behind ${first}: context canceled, its key removed`, async () => {
          const name = `lock-cancel-${first}`;
          const a = await spawn(first, ["lock", name]);
          await a.waitFor(/\n\n$/);
          const b = await spawn(second, ["lock", name]);
          await Bun.sleep(1000);
          expect(await b.end()).toBe(1);
          expect(b.stderr()).toBe("Error: context canceled\n");
          expect(await keysUnder(name)).toHaveLength(1);
          expect(await a.end()).toBe(0);
        }, 30_000);
      }

      test("lock <name> <command>: ETCD_LOCK_KEY/ETCD_LOCK_REV, the command's failure as etcdctl reports it", async () => {
        const script = 'echo "$ETCD_LOCK_KEY $ETCD_LOCK_REV"; exit 3';
        const results: Record<string, { code: number; stdout: string; stderr: string }> = {};
        for (const tool of ["etcdctl", "bunetcd"] as const) results[tool] = await runTool(tool, etcd.endpoint, ["lock", "cmdlock", "--", "sh", "-c", script]);
        for (const r of Object.values(results)) {
          expect(r.code).toBe(1);
          expect(r.stderr).toBe("Error: exit status 3\n");
          expect(r.stdout).toMatch(/^cmdlock\/[0-9a-f]+ \d+\n$/);
        }
        const rev = (s: string) => Number(s.trim().split(" ")[1]);
        expect(rev(results.bunetcd!.stdout)).toBeGreaterThan(rev(results.etcdctl!.stdout));
        expect(await keysUnder("cmdlock")).toEqual([]);
      }, 30_000);

      test("lock <name> <command> waits for the holder and runs after it", async () => {
        const holder = await spawn("etcdctl", ["lock", "cmdwait"]);
        await holder.waitFor(/\n\n$/);
        const runner = await spawn("bunetcd", ["lock", "cmdwait", "--", "sh", "-c", 'echo "got $ETCD_LOCK_KEY"']);
        await Bun.sleep(1000);
        expect(runner.stdout()).toBe("");
        expect(await holder.end()).toBe(0);
        expect(await runner.exited).toBe(0);
        expect(runner.stdout()).toMatch(/^got cmdwait\/[0-9a-f]+\n$/);
      }, 30_000);

      test("argument errors match etcdctl", async () => {
        for (const tool of ["etcdctl", "bunetcd"] as const) {
          const r = await runTool(tool, etcd.endpoint, ["lock"]);
          expect([r.code, r.stderr]).toEqual([128, "Error: lock takes a lock name argument and an optional command to execute\n"]);
        }
      });
    });

    describe("elect", () => {
      test("campaigners of both tools take turns; observers of both tools print the same leader lines", async () => {
        const observers = [await spawn("bunetcd", ["elect", "-l", "el"]), await spawn("etcdctl", ["elect", "-l", "el"])];
        await Bun.sleep(500);
        const c1 = await spawn("etcdctl", ["elect", "el", "p1"]);
        const [, k1] = await c1.waitFor(/^(\S+)\np1\n$/);
        const c2 = await spawn("bunetcd", ["elect", "el", "p2"]);
        await Bun.sleep(1000);
        expect(c2.stdout()).toBe("");
        expect(await c1.end()).toBe(0);
        const [, k2] = await c2.waitFor(/^(\S+)\np2\n$/);
        const c3 = await spawn("etcdctl", ["elect", "el", "p3"]);
        await Bun.sleep(500);
        expect(await c2.end()).toBe(0);
        const [, k3] = await c3.waitFor(/^(\S+)\np3\n$/);
        const expected = `${k1}\np1\n${k2}\np2\n${k3}\np3\n`;
        for (const o of observers) await o.waitFor(/p3\n$/);
        expect(await c3.end()).toBe(0);
        for (const o of observers) {
          expect(await o.end()).toBe(0);
          expect(o.stdout()).toBe(expected);
          expect(o.stderr()).toBe("");
        }
        expect(await keysUnder("el")).toEqual([]);
      }, 40_000);

      test("argument errors match etcdctl", async () => {
        for (const args of [["elect"], ["elect", "x"], ["elect", "-l", "x", "p"]]) {
          const want = await runTool("etcdctl", etcd.endpoint, args);
          const got = await runTool("bunetcd", etcd.endpoint, args);
          expect([got.code, got.stderr]).toEqual([want.code, want.stderr]);
        }
      });
    });
  });
}
