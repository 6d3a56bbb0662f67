// Group commit: concurrent submissions share batches, batches run in order one at a time, and a
// failure is sticky.
import { expect, test } from "bun:test";
import { GroupCommit } from "../../../engine/wal/group-commit.ts";

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

test("calls made while a batch runs form the next batch, in order", async () => {
  const batches: number[][] = [];
  let running = 0;
  const gates = [gate(), gate(), gate()];
  const gc = new GroupCommit<number>(async (ops) => {
    expect(++running).toBe(1);
    batches.push(ops);
    await gates[batches.length - 1].p;
    running--;
  });
  const first = [gc.submit(1), gc.submit(2)]; // same tick: one batch
  await Promise.resolve();
  await Promise.resolve();
  const second = [gc.submit(3), gc.submit(4), gc.submit(5)];
  expect(batches).toEqual([[1, 2]]);
  gates[0].open();
  await Promise.all(first);
  gates[1].open();
  await Promise.all(second);
  expect(batches).toEqual([[1, 2], [3, 4, 5]]);
  const later = gc.submit(6);
  gates[2].open();
  await later;
  await gc.idle();
  expect(batches).toEqual([[1, 2], [3, 4, 5], [6]]);
});

test("a failure rejects its batch, everything queued, and every later submit", async () => {
  const g = gate();
  const gc = new GroupCommit<number>(async (ops) => {
    await g.p;
    if (ops.includes(1)) throw new Error("disk on fire");
  });
  const a = gc.submit(1);
  await Promise.resolve();
  await Promise.resolve();
  const b = gc.submit(2);
  const settled = Promise.allSettled([a, b]);
  g.open();
  for (const r of await settled) expect(r).toMatchObject({ status: "rejected", reason: { message: "disk on fire" } });
  await expect(gc.submit(3)).rejects.toThrow("disk on fire");
  await gc.idle();
  expect(gc.failure?.message).toBe("disk on fire");
});
