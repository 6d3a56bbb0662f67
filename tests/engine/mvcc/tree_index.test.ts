import { describe, expect, test } from "bun:test";
import { RevisionNotFoundError } from "../../../engine/mvcc/errors.ts";
import type { Revision } from "../../../engine/mvcc/revision.ts";
import { TreeIndex } from "../../../engine/mvcc/tree_index.ts";

const b = (s: string) => new TextEncoder().encode(s);
const s = (k: Uint8Array) => new TextDecoder().decode(k);
const r = (main: number, sub = 0): Revision => ({ main, sub });
const ALL = new Uint8Array([0]);

/** foo: put 2, put 4(.1 in a txn), tombstone 6; foo1: put 3; foo2: put 5, put 7; bar: put 1. */
function sample(): TreeIndex {
  const ti = new TreeIndex();
  ti.put(b("bar"), r(1));
  ti.put(b("foo"), r(2));
  ti.put(b("foo1"), r(3));
  ti.put(b("foo"), r(4));
  ti.put(b("foo"), r(4, 1));
  ti.put(b("foo2"), r(5));
  ti.tombstone(b("foo"), r(6));
  ti.put(b("foo2"), r(7));
  return ti;
}

describe("TreeIndex (etcd mvcc/index.go)", () => {
  test("get", () => {
    const ti = sample();
    expect(ti.get(b("foo"), 1)).toBeUndefined();
    expect(ti.get(b("foo"), 4)).toEqual({ modified: r(4, 1), created: r(2), version: 3 });
    expect(ti.get(b("foo"), 6)).toBeUndefined();
    expect(ti.get(b("nope"), 9)).toBeUndefined();
    expect(ti.size).toBe(4);
  });

  test("keeps its own copy of a key handed over as a Buffer view (Buffer.slice would share the request's memory)", () => {
    const ti = new TreeIndex();
    const request = Buffer.alloc(4096, 0x61);
    request.write("key1", 100);
    const key = request.subarray(100, 104); // how a decoded request hands keys over: a view of its body
    ti.getAndPut(key, r(1));
    request.fill(0x7a); // the request's memory is reused or changed afterwards
    expect(ti.get(b("key1"), 1)).toEqual({ modified: r(1), created: r(1), version: 1 });
    const stored = ti.range(b("key1"), undefined, 1, 0).keys[0];
    expect(s(stored)).toBe("key1");
    expect(stored.buffer.byteLength).toBe(4); // owns exactly the key, not the 4 KiB body behind it
  });

  test("range: single key, [key, end), open end [0], empty or inverted ranges", () => {
    const ti = sample();
    const keys = (key: string, end: Uint8Array | undefined, at: number, limit = 0) => {
      const res = ti.range(b(key), end, at, limit);
      return [res.keys.map(s).join(","), res.revs.map((x) => `${x.main}.${x.sub}`).join(","), res.total];
    };
    expect(keys("foo", undefined, 5)).toEqual(["foo", "4.1", 1]);
    expect(keys("foo", new Uint8Array(0), 5)).toEqual(["foo", "4.1", 1]);
    expect(keys("foo", undefined, 6)).toEqual(["", "", 0]);
    expect(keys("foo", b("foo3"), 5)).toEqual(["foo,foo1,foo2", "4.1,3.0,5.0", 3]);
    expect(keys("foo", b("foo3"), 7)).toEqual(["foo1,foo2", "3.0,7.0", 2]);
    expect(keys("foo", b("foo2"), 5)).toEqual(["foo,foo1", "4.1,3.0", 2]);
    expect(keys("a", ALL, 7)).toEqual(["bar,foo1,foo2", "1.0,3.0,7.0", 3]);
    expect(keys("foo1", ALL, 3)).toEqual(["foo1", "3.0", 1]);
    expect(keys("foo", b("a"), 7)).toEqual(["", "", 0]);
    expect(keys("a", ALL, 0)).toEqual(["", "", 0]);
  });

  test("range limit caps keys but total counts the whole range; countRevisions agrees", () => {
    const ti = sample();
    expect(ti.range(b("a"), ALL, 5, 2)).toEqual({ keys: [b("bar"), b("foo")], revs: [r(1), r(4, 1)], total: 4 });
    expect(ti.range(b("a"), ALL, 7, 1).total).toBe(3);
    expect(ti.countRevisions(b("a"), ALL, 5)).toBe(4);
    expect(ti.countRevisions(b("a"), ALL, 7)).toBe(3);
    expect(ti.countRevisions(b("foo"), undefined, 7)).toBe(0);
  });

  test("tombstone of a missing or deleted key is ErrRevisionNotFound", () => {
    const ti = sample();
    expect(() => ti.tombstone(b("zzz"), r(8))).toThrow(RevisionNotFoundError);
    expect(() => ti.tombstone(b("foo"), r(8))).toThrow(RevisionNotFoundError);
  });

  test("rangeSince: sorted by revision, one revision per main per key", () => {
    const ti = sample();
    const fmt = (revs: Revision[]) => revs.map((x) => `${x.main}.${x.sub}`).join(",");
    expect(fmt(ti.rangeSince(b("a"), ALL, 1))).toBe("1.0,2.0,3.0,4.1,5.0,6.0,7.0");
    expect(fmt(ti.rangeSince(b("foo"), b("foo2"), 3))).toBe("3.0,4.1,6.0");
    expect(fmt(ti.rangeSince(b("foo"), undefined, 4))).toBe("4.1,6.0");
    expect(fmt(ti.rangeSince(b("zz"), undefined, 0))).toBe("");
  });

  test("compact returns what to keep and drops keys whose history is gone; keep agrees without changing", () => {
    const ti = sample();
    const fmt = (set: Iterable<Revision>) => [...set].map((x) => `${x.main}.${x.sub}`).sort().join(",");
    expect(fmt(ti.keep(6))).toBe("1.0,3.0,5.0");
    expect(ti.size).toBe(4);
    expect(fmt(ti.compact(6))).toBe("1.0,3.0,5.0");
    expect(ti.size).toBe(3); // foo: only its tombstone was ≤ 6, so it is gone
    expect(ti.keyIndex(b("foo"))).toBeUndefined();
    expect(ti.range(b("a"), ALL, 6).keys.map(s)).toEqual(["bar", "foo1", "foo2"]);
    expect(fmt(ti.compact(7))).toBe("1.0,3.0,7.0");
    ti.put(b("foo"), r(8));
    expect(ti.get(b("foo"), 8)).toEqual({ modified: r(8), created: r(8), version: 1 });
  });

  test("stored keys are copies: the caller may reuse its buffer", () => {
    const ti = new TreeIndex();
    const buf = b("abc");
    ti.put(buf, r(1));
    buf[0] = 0x7a;
    expect(ti.range(b("abc"), undefined, 1).keys.map(s)).toEqual(["abc"]);
    expect(ti.get(b("zbc"), 1)).toBeUndefined();
  });
});
