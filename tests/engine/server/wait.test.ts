// The wait registry settles each id once: by trigger, by fail, by the timeout, or at shutdown.
import { expect, test } from "bun:test";
import { WaitRegistry } from "../../../engine/server/wait.ts";

test("trigger resolves, fail rejects, unknown ids report false", async () => {
  const w = new WaitRegistry(1000, () => new Error("etcdserver: request timed out"));
  const a = w.register<string>(1n);
  const b = w.register<string>(2n);
  expect(() => w.register(1n)).toThrow("duplicate wait id 1");
  expect(w.trigger(1n, "ok")).toBe(true);
  expect(w.fail(2n, new Error("boom"))).toBe(true);
  expect(w.trigger(3n, "nobody")).toBe(false);
  expect(await a).toBe("ok");
  await expect(b).rejects.toThrow("boom");
  expect(w.size).toBe(0);
});

test("a request never applied is rejected with the timeout error; later ones are not", async () => {
  const w = new WaitRegistry(40, () => new Error("etcdserver: request timed out"));
  const slow = expect(w.register(1n)).rejects.toThrow("etcdserver: request timed out");
  await Bun.sleep(100);
  const fresh = w.register<number>(2n);
  await slow;
  expect(w.trigger(1n, 0)).toBe(false);
  expect(w.trigger(2n, 7)).toBe(true);
  expect(await fresh).toBe(7);
});

test("failAll settles every waiter", async () => {
  const w = new WaitRegistry(10_000, () => new Error("timeout"));
  const ps = [1n, 2n, 3n].map((id) => w.register(id));
  w.failAll(new Error("etcdserver: server stopped"));
  for (const p of ps) await expect(p).rejects.toThrow("etcdserver: server stopped");
});
