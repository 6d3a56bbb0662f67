// The rpctypes table must match etcd's rpctypes/error.go exactly (names, gRPC codes, message text): this test
// parses the Go source installed with etcd, so a typo or a missing entry fails here.
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { readFileSync } from "node:fs";
import { rpcError, rpcTypeOfMessage, rpctypes } from "../../rpc/errors.ts";

const GO_SOURCE = "/usr/share/gocode/src/go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes/error.go";

function goTable(): Map<string, { code: string; message: string }> {
  const src = readFileSync(GO_SOURCE, "utf8");
  const out = new Map<string, { code: string; message: string }>();
  for (const m of src.matchAll(/(ErrG(?:RPC|PRC)\w+)\s*=\s*status\.New\(codes\.(\w+),\s*"([^"]*)"\)/g)) {
    out.set(m[1], { code: m[2], message: m[3] });
  }
  return out;
}

/** Our table's key for a Go name (ErrGRPCRequestTooLarge → RequestTooLarge; the Go typo ErrGPRC… too). */
const keyOf = (goName: string) => goName.replace(/^ErrG(RPC|PRC)/, "");

describe("rpctypes", () => {
  const go = goTable();

  test("the Go source was found and parsed", () => {
    expect(go.size).toBeGreaterThan(50);
  });

  test("every Go error is in the table with the same code and message, and nothing else is", () => {
    const ours = rpctypes as Record<string, { code: Code; message: string }>;
    for (const [name, want] of go) {
      const got = ours[keyOf(name)];
      expect({ name, message: got?.message, code: got ? Code[got.code] : undefined }).toEqual({ name, message: want.message, code: want.code });
    }
    expect(Object.keys(ours).sort()).toEqual([...go.keys()].map(keyOf).sort());
  });

  test("rpcError carries the exact message and code; rpcTypeOfMessage finds it back", () => {
    const e = rpcError(rpctypes.RequestTooLarge);
    expect(e).toBeInstanceOf(ConnectError);
    expect(e.rawMessage).toBe("etcdserver: request is too large");
    expect(e.code).toBe(Code.InvalidArgument);
    expect(rpcTypeOfMessage("etcdserver: mvcc: required revision has been compacted")).toBe(rpctypes.Compacted);
    expect(rpcTypeOfMessage("something else")).toBeUndefined();
  });
});
