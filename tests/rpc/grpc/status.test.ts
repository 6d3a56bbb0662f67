// grpc-message percent-encoding, status mapping of thrown values, grpc-timeout parsing.
import { describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { decodeGrpcMessage, encodeGrpcMessage, parseGrpcTimeout, statusOf } from "../../../rpc/grpc/status.ts";

describe("grpc-message encoding", () => {
  test("leaves printable ASCII alone, so etcd's messages go out verbatim", () => {
    const m = "etcdserver: request is too large";
    expect(encodeGrpcMessage(m)).toBe(m);
  });

  test("percent-encodes '%', control characters and non-ASCII as UTF-8 bytes", () => {
    expect(encodeGrpcMessage("100%\n")).toBe("100%25%0A");
    expect(encodeGrpcMessage("clé")).toBe("cl%C3%A9");
  });

  test("decoding inverts encoding", () => {
    for (const m of ["", "a b", "100% sure\r\n", "日本語 ✓", "%zz"]) expect(decodeGrpcMessage(encodeGrpcMessage(m))).toBe(m);
    expect(decodeGrpcMessage("bad %zz escape")).toBe("bad %zz escape");
  });
});

describe("statusOf", () => {
  test("takes a ConnectError's code and raw message (without connect's [code] prefix)", () => {
    const e = new ConnectError("etcdserver: key not found", Code.InvalidArgument);
    expect(e.message).not.toBe(e.rawMessage);
    expect(statusOf(e)).toEqual({ code: Code.InvalidArgument, message: "etcdserver: key not found" });
  });

  test("maps other throwables to Unknown", () => {
    expect(statusOf(new TypeError("boom"))).toEqual({ code: Code.Unknown, message: "boom" });
    expect(statusOf("str")).toEqual({ code: Code.Unknown, message: "str" });
  });
});

describe("grpc-timeout", () => {
  test("parses every unit into milliseconds", () => {
    expect(parseGrpcTimeout("2H")).toBe(7_200_000);
    expect(parseGrpcTimeout("3M")).toBe(180_000);
    expect(parseGrpcTimeout("5S")).toBe(5000);
    expect(parseGrpcTimeout("250m")).toBe(250);
    expect(parseGrpcTimeout("1500u")).toBe(1.5);
    expect(parseGrpcTimeout("2000000n")).toBe(2);
  });

  test("ignores absent or malformed values", () => {
    for (const v of [undefined, "", "5", "S", "123456789S", "1.5S", "5s"]) expect(parseGrpcTimeout(v)).toBeUndefined();
  });
});
