import { describe, expect, test } from "bun:test";
import { copyBytes } from "../../../engine/bytes/copy.ts";

describe("copyBytes", () => {
  test("a Buffer view becomes a plain Uint8Array owning exactly its bytes", () => {
    const body = Buffer.from("0123456789");
    const view = body.subarray(2, 5);
    expect(view.slice().buffer).toBe(body.buffer); // the trap: Buffer.slice is a view
    const own = copyBytes(view);
    expect(own.constructor).toBe(Uint8Array);
    expect(own.buffer.byteLength).toBe(3);
    body.fill(0);
    expect(new TextDecoder().decode(own)).toBe("234");
  });

  test("a Uint8Array is copied too", () => {
    const u = new Uint8Array([1, 2, 3]);
    const c = copyBytes(u);
    u[0] = 9;
    expect([...c]).toEqual([1, 2, 3]);
  });
});
