// The bidi request-body splitter: objects split across chunks, several per chunk, braces and quotes inside
// strings, whitespace between objects, and the two malformed cases.
import { describe, expect, test } from "bun:test";
import { jsonObjects } from "../../../rpc/gateway/json_value_stream.ts";

async function split(chunks: string[]): Promise<string[]> {
  const body = (async function* () {
    for (const c of chunks) yield new TextEncoder().encode(c);
  })();
  const out: string[] = [];
  for await (const o of jsonObjects(body)) out.push(o);
  return out;
}

describe("jsonObjects", () => {
  test("one object per line, and concatenated objects", async () => {
    expect(await split(['{"a":1}\n{"b":2}\n'])).toEqual(['{"a":1}', '{"b":2}']);
    expect(await split(['{"a":1}{"b":{"c":2}}'])).toEqual(['{"a":1}', '{"b":{"c":2}}']);
  });

  test("an object split over many chunks, with braces, quotes and escapes inside strings", async () => {
    const obj = '{"k":"a}{\\"b","n":{"x":"\\\\"}}';
    const chunks = [...obj].map((c) => c); // one byte per chunk
    expect(await split([" \n", ...chunks, "\n"])).toEqual([obj]);
  });

  test("non-object text between objects is an InvalidArgument error", async () => {
    await expect(split(['{"a":1} x'])).rejects.toThrow("expected an object");
  });

  test("a body ending inside an object is an error", async () => {
    await expect(split(['{"a":'])).rejects.toThrow("unexpected end of body");
  });

  test("an empty body yields nothing", async () => {
    expect(await split([])).toEqual([]);
  });
});
