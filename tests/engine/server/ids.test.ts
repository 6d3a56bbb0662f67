// Member and cluster ids match etcd's for the same flags (etcd's well-known ids for its defaults), and
// request ids are unique and increasing.
import { expect, test } from "bun:test";
import { RequestIdGenerator, clusterId, idString, memberId } from "../../../engine/server/ids.ts";

test("default flags give etcd's default member and cluster ids", () => {
  const m = memberId(["http://localhost:2380"], "etcd-cluster");
  expect(idString(m)).toBe("8e9e05c52164694d");
  expect(idString(clusterId([m]))).toBe("cdf818194e3a8c32");
});

test("request ids carry the member's low 16 bits and strictly increase", () => {
  const g = new RequestIdGenerator(0x8e9e05c52164694dn, 1_700_000_000_000);
  let prev = 0n;
  for (let i = 0; i < 1000; i++) {
    const id = g.next();
    expect(id >> 48n).toBe(0x694dn);
    expect(id).toBeGreaterThan(prev);
    prev = id;
  }
});
