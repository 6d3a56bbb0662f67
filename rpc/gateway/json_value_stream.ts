// Splits a byte stream of concatenated JSON objects ({...}{...} or one per line, as grpc-gateway's streaming
// decoder reads a bidi request body) into the text of each object, as soon as each is complete. Tracks only
// nesting depth and string/escape state; validating the text is left to the protobuf JSON parser.
// Invariant: text outside objects may only be whitespace; anything else ends the stream with an error.
import { Code, ConnectError } from "@connectrpc/connect";

const OPEN = 0x7b, CLOSE = 0x7d, QUOTE = 0x22, BACKSLASH = 0x5c;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export async function* jsonObjects(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending: Uint8Array[] = [];
  let depth = 0, inString = false, escaped = false;
  for await (const chunk of body) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (depth === 0) {
        if (isSpace(b)) continue;
        if (b !== OPEN) throw new ConnectError("invalid JSON stream: expected an object", Code.InvalidArgument);
        start = i;
        depth = 1;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN) depth++;
      else if (b === CLOSE && --depth === 0) {
        pending.push(chunk.subarray(start, i + 1));
        yield decoder.decode(Buffer.concat(pending));
        pending = [];
      }
    }
    if (depth > 0) pending.push(chunk.slice(start));
  }
  if (depth > 0) throw new ConnectError("invalid JSON stream: unexpected end of body", Code.InvalidArgument);
}
