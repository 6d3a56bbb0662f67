// Protocol rules of rpc/server/h2 (H2Connection, H2ServerStream) and rpc/server/hpack (HpackDecoder) that
// well-behaved clients never exercise: malformed HPACK, stream-state and flow-control violations, padding,
// resets and GOAWAY, driven frame by frame from a raw TCP client so that every octet on the wire is the test's.
// Each test names the RFC 9113 / RFC 7541 rule (or node:http2 behaviour) it checks.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect as netConnect, createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { H2Connection } from "../../../rpc/server/h2/connection.ts";
import type { H2ServerStream } from "../../../rpc/server/h2/server_stream.ts";
import type { DecodedHeaders } from "../../../rpc/server/hpack/decoder.ts";
import { HpackDecoder } from "../../../rpc/server/hpack/decoder.ts";
import { HpackError } from "../../../rpc/server/hpack/primitives.ts";
import { frame as h2frame, indexed, literal, sizeUpdate } from "./support/hpack_builder.ts";

const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const T = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, GOAWAY: 7, WINDOW_UPDATE: 8 } as const;
const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8 } as const;
const ERR = { NO_ERROR: 0, PROTOCOL_ERROR: 1, FLOW_CONTROL_ERROR: 3, STREAM_CLOSED: 5, FRAME_SIZE_ERROR: 6, COMPRESSION_ERROR: 9 } as const;
const INITIAL_WINDOW_SIZE = 0x4;
const MAX_WINDOW = 0x7fffffff;

type Handler = (stream: H2ServerStream, headers: DecodedHeaders) => void;
interface Frame {
  type: number;
  flags: number;
  stream: number;
  payload: Buffer;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const frame = (type: number, flags: number, stream: number, payload: Uint8Array = new Uint8Array(0)): Buffer => h2frame(type, flags, stream, payload);
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
};
const settings = (pairs: [number, number][]) => {
  const b = Buffer.alloc(6 * pairs.length);
  pairs.forEach(([id, v], i) => (b.writeUInt16BE(id, 6 * i), b.writeUInt32BE(v >>> 0, 6 * i + 2)));
  return b;
};
/** A request header block (literals without indexing; the decoder's table is untouched). */
const REQUEST = Buffer.concat([
  literal("without", 3, "POST"), // :method
  literal("without", 7, "http"), // :scheme
  literal("without", 5, "/t"), // :path
  literal("without", 1, "x"), // :authority
  literal("without", 31, "application/grpc"), // content-type
]);

async function serve(handler: Handler): Promise<{ port: number; conns: H2Connection[] }> {
  const conns: H2Connection[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    conns.push(new H2Connection(socket, handler));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, conns };
}

/** A raw HTTP/2 client: writes frames as given, records every frame the server sends. */
class RawClient {
  readonly frames: Frame[] = [];
  closed = false;
  private buf = Buffer.alloc(0);

  constructor(readonly sock: Socket) {
    sock.on("data", (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      while (this.buf.length >= 9) {
        const len = this.buf.readUIntBE(0, 3);
        if (this.buf.length < 9 + len) break;
        this.frames.push({ type: this.buf[3]!, flags: this.buf[4]!, stream: this.buf.readUInt32BE(5) & 0x7fffffff, payload: this.buf.subarray(9, 9 + len) });
        this.buf = this.buf.subarray(9 + len);
      }
    });
    sock.on("close", () => (this.closed = true));
    sock.on("error", () => {});
  }

  static async open(port: number, pairs: [number, number][] = []): Promise<RawClient> {
    const sock = netConnect(port, "127.0.0.1");
    await new Promise<void>((r) => sock.once("connect", () => r()));
    const c = new RawClient(sock);
    cleanups.push(() => sock.destroy());
    sock.write(Buffer.concat([PREFACE, frame(T.SETTINGS, 0, 0, settings(pairs))]));
    return c;
  }

  send(type: number, flags: number, stream: number, payload?: Uint8Array): void {
    this.sock.write(frame(type, flags, stream, payload));
  }

  goaway(): number | undefined {
    const g = this.frames.find((x) => x.type === T.GOAWAY);
    return g ? g.payload.readUInt32BE(4) : undefined;
  }

  resets(stream: number): number[] {
    return this.frames.filter((x) => x.type === T.RST_STREAM && x.stream === stream).map((x) => x.payload.readUInt32BE(0));
  }
}

async function until(cond: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await Bun.sleep(5);
  }
  return true;
}

// ---------------------------------------------------------------- HPACK (RFC 7541)

describe("HpackDecoder", () => {
  // RFC 7541 §5.1: "Integer encodings that exceed implementation limits ... MUST be treated as decoding errors."
  // readInt adds (b & 0x7f) * 2 ** shift; after ~147 zero continuation octets 2 ** shift is Infinity and
  // 0 * Infinity is NaN, which passes the `value > MAX_INT` check. A size update of NaN passes the 4096 check and
  // sets the table maximum to NaN, which disables eviction for good (unbounded memory for the connection).
  test("an integer padded with 200 zero continuation octets is a decoding error, not NaN", () => {
    const nanInt = Buffer.concat([Buffer.from([0x3f]), Buffer.alloc(200, 0x80), Buffer.from([0x00])]); // size update
    const d = new HpackDecoder();
    expect(() => d.decode(nanInt, 0, nanInt.length)).toThrow(HpackError);
  });

  test("after a NaN table size update the dynamic table still evicts (bounded to 4096 octets)", () => {
    const d = new HpackDecoder();
    const nanInt = Buffer.concat([Buffer.from([0x3f]), Buffer.alloc(200, 0x80), Buffer.from([0x00])]);
    try {
      d.decode(nanInt, 0, nanInt.length);
    } catch {
      return; // rejected: fine
    }
    // 100 entries of ~1 KiB: with a 4096-octet table only the newest 3 may remain
    for (let i = 0; i < 100; i++) {
      const b = literal("incremental", `k${i}`, "v".repeat(1000));
      d.decode(b, 0, b.length);
    }
    const oldest = indexed(61 + 100); // the first entry, long evicted by any correct table
    expect(() => d.decode(oldest, 0, oldest.length)).toThrow(HpackError);
  });

  // RFC 7541 §4.2: a dynamic table size update "MUST occur at the beginning of the first header block following
  // the change"; §6.3 / §4.2: one after a field representation is a decoding error (COMPRESSION_ERROR).
  test("a dynamic table size update after a header field is a decoding error", () => {
    const block = Buffer.concat([indexed(2), sizeUpdate(0)]);
    expect(() => new HpackDecoder().decode(block, 0, block.length)).toThrow(HpackError);
  });
});

// ---------------------------------------------------------------- H2Connection / H2ServerStream (RFC 9113)

describe("H2Connection", () => {
  // Same NaN integer, as a literal-with-indexing name index: nameAt(NaN) returns undefined, add() throws a
  // TypeError, which onData rethrows (it only maps ConnectionError/HpackError) out of the socket 'data' handler:
  // an uncaught exception that kills the whole server process. Run in a child process so the test survives it.
  test("a header block with an over-long integer ends the connection with COMPRESSION_ERROR and the server survives", async () => {
    const dir = mkdtempSync(join(tmpdir(), "h2review-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, "server.ts");
    writeFileSync(
      script,
      `import { createServer } from "node:net";
import { H2Connection } from ${JSON.stringify(join(import.meta.dir, "../../../rpc/server/h2/connection.ts"))};
const server = createServer((s) => new H2Connection(s, () => {}));
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
setInterval(() => {}, 1000);
`,
    );
    const child = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "pipe" });
    cleanups.push(() => child.kill());
    const reader = child.stdout.getReader();
    let text = "";
    while (!/PORT \d+/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const port = Number(/PORT (\d+)/.exec(text)![1]);
    const c = await RawClient.open(port);
    const bad = Buffer.concat([Buffer.from([0x7f]), Buffer.alloc(200, 0x80), Buffer.from([0x00, 0x01, 0x61])]); // literal w/ indexing, name index NaN
    c.send(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, bad);
    await until(() => c.goaway() !== undefined || child.exitCode !== null, 1500);
    await Bun.sleep(100);
    expect(child.exitCode).toBeNull(); // the server process is still running
    expect(c.goaway()).toBe(ERR.COMPRESSION_ERROR);
  });

  // RFC 9113 §5.1 (half-closed (remote)): DATA there is a stream error STREAM_CLOSED; §5.4.2: after sending
  // RST_STREAM the stream is closed and the sender "MUST NOT send additional frames for that stream". The
  // connection sends the RST but leaves the H2ServerStream open, so its response goes out on a reset stream.
  test("DATA after END_STREAM resets the stream and the server stream is closed with it", async () => {
    let stream: H2ServerStream | undefined;
    const { port } = await serve((s) => (stream = s));
    const c = await RawClient.open(port);
    c.send(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, REQUEST);
    await until(() => stream !== undefined);
    c.send(T.DATA, 0, 1, Buffer.from("late!"));
    expect(await until(() => c.resets(1).length > 0)).toBe(true);
    expect(c.resets(1)).toEqual([ERR.STREAM_CLOSED]);
    stream!.respond({ ":status": 200, "content-type": "application/grpc" }, { endStream: true });
    await Bun.sleep(100);
    const rst = c.frames.findIndex((x) => x.type === T.RST_STREAM && x.stream === 1);
    expect(c.frames.slice(rst + 1).filter((x) => x.stream === 1)).toEqual([]); // nothing after our own RST_STREAM
    expect(stream!.closed).toBe(true);
  });

  // RFC 9113 §5.1: a HEADERS frame on a half-closed (remote) stream is a STREAM_CLOSED error; and a stream must
  // not emit 'end' twice (node's Readable never does). onHeaders calls endRemote() again for the second block.
  test("a second HEADERS with END_STREAM after END_STREAM is refused and 'end' is emitted once", async () => {
    let ends = 0;
    const { port } = await serve((s) => s.on("end", () => ends++));
    const c = await RawClient.open(port);
    c.send(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, REQUEST);
    c.send(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, literal("without", "x-trailer", "1"));
    await until(() => c.resets(1).length > 0 || c.goaway() !== undefined, 500);
    expect(ends).toBe(1);
    expect(c.resets(1).includes(ERR.STREAM_CLOSED) || c.goaway() === ERR.STREAM_CLOSED).toBe(true);
  });

  // RFC 9113 §6.9.1: "If a sender receives a WINDOW_UPDATE that causes a flow-control window to exceed this
  // maximum, it MUST terminate either the stream or the connection ... For streams, the sender sends a
  // RST_STREAM with an error code of FLOW_CONTROL_ERROR". Only the connection window is checked.
  test("a WINDOW_UPDATE overflowing a stream's send window resets it with FLOW_CONTROL_ERROR", async () => {
    const { port } = await serve((s) => s.respond({ ":status": 200 }));
    const c = await RawClient.open(port);
    c.send(T.HEADERS, FLAG.END_HEADERS, 1, REQUEST);
    await until(() => c.frames.some((x) => x.type === T.HEADERS && x.stream === 1));
    c.send(T.WINDOW_UPDATE, 0, 1, u32(MAX_WINDOW)); // 65535 + (2^31 - 1) > 2^31 - 1
    await until(() => c.resets(1).length > 0 || c.goaway() !== undefined, 500);
    expect(c.resets(1).includes(ERR.FLOW_CONTROL_ERROR) || c.goaway() === ERR.FLOW_CONTROL_ERROR).toBe(true);
  });

  // RFC 9113 §6.9: "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control window
  // increment of 0 as a stream error of type PROTOCOL_ERROR" (for a stream). Ignored on streams today.
  test("a stream WINDOW_UPDATE of 0 is a stream error PROTOCOL_ERROR", async () => {
    const { port } = await serve((s) => s.respond({ ":status": 200 }));
    const c = await RawClient.open(port);
    c.send(T.HEADERS, FLAG.END_HEADERS, 1, REQUEST);
    await until(() => c.frames.some((x) => x.type === T.HEADERS && x.stream === 1));
    c.send(T.WINDOW_UPDATE, 0, 1, u32(0));
    await until(() => c.resets(1).length > 0 || c.goaway() !== undefined, 500);
    expect(c.resets(1).includes(ERR.PROTOCOL_ERROR) || c.goaway() === ERR.PROTOCOL_ERROR).toBe(true);
  });

  // RFC 9113 §6.9.2: "An endpoint MUST treat a change to SETTINGS_INITIAL_WINDOW_SIZE that causes any
  // flow-control window to exceed the maximum size as a connection error of type FLOW_CONTROL_ERROR."
  test("a SETTINGS_INITIAL_WINDOW_SIZE change overflowing an open stream's window is FLOW_CONTROL_ERROR", async () => {
    const { port } = await serve((s) => s.respond({ ":status": 200 }));
    const c = await RawClient.open(port);
    c.send(T.HEADERS, FLAG.END_HEADERS, 1, REQUEST);
    await until(() => c.frames.some((x) => x.type === T.HEADERS && x.stream === 1));
    c.send(T.WINDOW_UPDATE, 0, 1, u32(MAX_WINDOW - 65_535)); // the stream's window is now exactly 2^31 - 1
    c.send(T.SETTINGS, 0, 0, settings([[INITIAL_WINDOW_SIZE, 65_536]])); // +1: over the maximum
    await until(() => c.goaway() !== undefined, 500);
    expect(c.goaway()).toBe(ERR.FLOW_CONTROL_ERROR);
  });

  // RFC 9113 §6.9.1: the sender MUST NOT exceed the receiver's window; the receive window is what bounds the
  // memory a paused stream holds. The connection never checks it: a client ignoring our 1 MiB stream window
  // makes a paused stream buffer without limit (nghttp2 and grpc-go answer FLOW_CONTROL_ERROR).
  test("DATA beyond the advertised stream window on a paused stream is a FLOW_CONTROL_ERROR", async () => {
    let got = 0;
    const { port } = await serve((s) => {
      s.pause();
      s.on("data", (c: Uint8Array) => (got += c.length));
    });
    const c = await RawClient.open(port);
    c.send(T.HEADERS, FLAG.END_HEADERS, 1, REQUEST);
    const chunk = Buffer.alloc(16_384, 1);
    for (let i = 0; i < 160; i++) c.send(T.DATA, 0, 1, chunk); // 2.5 MiB, the stream window is 1 MiB
    await until(() => c.resets(1).length > 0 || c.goaway() !== undefined, 1000);
    expect(c.resets(1).includes(ERR.FLOW_CONTROL_ERROR) || c.goaway() === ERR.FLOW_CONTROL_ERROR).toBe(true);
    expect(got).toBe(0);
  });

  // node:http2: write() after end() fails (ERR_STREAM_WRITE_AFTER_END, callback with an error) and nothing is sent
  // after END_STREAM. H2ServerStream sets localEnded only when the queued END item is framed, so a write() while
  // END waits for the window is accepted and goes out as DATA after END_STREAM (RFC 9113 §5.1: a STREAM_CLOSED error).
  test("write() after end() is refused while the end is still waiting for the window; no DATA follows END_STREAM", async () => {
    let lateErr: unknown = "not called";
    let lateOk: boolean | undefined;
    const { port } = await serve((s) => {
      s.respond({ ":status": 200 });
      s.write(Buffer.alloc(100, 7));
      s.end();
      lateOk = s.write(Buffer.from("late"), (e) => (lateErr = e));
    });
    const c = await RawClient.open(port, [[INITIAL_WINDOW_SIZE, 10]]);
    c.send(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, REQUEST);
    await until(() => c.frames.some((x) => x.type === T.DATA && x.stream === 1));
    c.send(T.WINDOW_UPDATE, 0, 1, u32(1000));
    await until(() => c.frames.some((x) => x.stream === 1 && x.flags & FLAG.END_STREAM && x.type !== T.HEADERS), 500);
    await Bun.sleep(50);
    const s1 = c.frames.filter((x) => x.stream === 1 && x.type !== T.WINDOW_UPDATE);
    const endAt = s1.findIndex((x) => (x.type === T.DATA || x.type === T.HEADERS) && x.flags & FLAG.END_STREAM);
    expect(endAt).toBeGreaterThan(0);
    expect(s1.slice(endAt + 1)).toEqual([]);
    expect(lateOk).toBe(false);
    expect(lateErr).toBeInstanceOf(Error);
  });

  // H2ServerStream's own invariant (and node's Writable): every write callback runs, with an error if the stream
  // died first. Callbacks of bytes handed to a full socket wait in `afterDrain`, which onClose() discards: when a
  // slow reader disconnects, those callbacks never run (a StreamWriter keeps its pool buffer and `writing` forever).
  test("write callbacks waiting for a full socket's drain still run when the connection closes", async () => {
    let stream: H2ServerStream | undefined;
    const called: number[] = [];
    const WRITES = 8;
    const { port } = await serve((s) => {
      stream = s;
      s.respond({ ":status": 200 });
      for (let i = 0; i < WRITES; i++) s.write(Buffer.alloc(4 << 20, i), () => called.push(i));
    });
    const c = await RawClient.open(port, [[INITIAL_WINDOW_SIZE, MAX_WINDOW]]);
    c.sock.pause(); // a slow reader: nothing is read, the server's socket fills
    c.send(T.WINDOW_UPDATE, 0, 0, u32(MAX_WINDOW - 65_535));
    c.send(T.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, REQUEST);
    await until(() => stream !== undefined);
    await Bun.sleep(300);
    expect(called.length).toBeLessThan(WRITES); // precondition: some callbacks wait for 'drain'
    c.sock.destroy();
    expect(await until(() => stream!.closed)).toBe(true); // the server saw the connection go
    await until(() => called.length === WRITES, 500);
    expect(called.length).toBe(WRITES);
  });

  // RFC 9113 §5.1 (closed): "An endpoint MUST ignore frames that it receives on closed streams after it has sent a
  // RST_STREAM frame." After close(NO_ERROR) (what the responder does when it ends a call the client is still
  // sending on), every DATA frame already in flight is answered with one more RST_STREAM(STREAM_CLOSED).
  test("DATA in flight after our RST_STREAM is ignored, not answered with more resets", async () => {
    const { port } = await serve((s) => {
      s.respond({ ":status": 200, "grpc-status": "3" }, { endStream: true });
      s.close(0);
    });
    const c = await RawClient.open(port);
    c.send(T.HEADERS, FLAG.END_HEADERS, 1, REQUEST);
    await until(() => c.resets(1).length > 0);
    for (let i = 0; i < 3; i++) c.send(T.DATA, 0, 1, Buffer.from("in flight"));
    await Bun.sleep(150);
    expect(c.resets(1)).toEqual([ERR.NO_ERROR]);
  });

  // RFC 9113 §6.2: a PADDED HEADERS frame has a 1-octet Pad Length field; a 0-length payload cannot hold it
  // (§4.2: a frame too small for its mandatory fields is FRAME_SIZE_ERROR; §6.2: padding >= payload is
  // PROTOCOL_ERROR). When the frame ends the chunk, `buf[s]` is undefined, `e` becomes NaN, `s > e` is false and
  // the stream is opened with an empty header list.
  test("a PADDED HEADERS frame with an empty payload is a connection error, not a request", async () => {
    const opened: DecodedHeaders[] = [];
    const { port } = await serve((_, h) => opened.push(h));
    const c = await RawClient.open(port);
    await Bun.sleep(50); // the frame below arrives alone, so it ends its chunk
    c.send(T.HEADERS, FLAG.PADDED | FLAG.END_HEADERS | FLAG.END_STREAM, 1);
    await until(() => c.goaway() !== undefined || opened.length > 0, 500);
    expect(opened).toEqual([]);
    expect([ERR.PROTOCOL_ERROR, ERR.FRAME_SIZE_ERROR] as number[]).toContain(c.goaway()!);
  });

  // RFC 9113 §6.4: "If a RST_STREAM frame identifying an idle stream is received, the recipient MUST treat this as
  // a connection error of type PROTOCOL_ERROR." (§5.1 says the same for WINDOW_UPDATE on an idle stream.)
  test("RST_STREAM on an idle stream is a connection error PROTOCOL_ERROR", async () => {
    const { port } = await serve(() => {});
    const c = await RawClient.open(port);
    c.send(T.RST_STREAM, 0, 5, u32(8));
    await until(() => c.goaway() !== undefined, 500);
    expect(c.goaway()).toBe(ERR.PROTOCOL_ERROR);
  });

  // RFC 7541 §4.2 / §6.3: once the client's SETTINGS_HEADER_TABLE_SIZE is below the encoder's table size (4096
  // initially), the encoder MUST start its next header block with a dynamic table size update. The encoder writes
  // none and the connection ignores the setting, so nghttp2 clients (node:http2, hence @grpc/grpc-js on Node) with
  // headerTableSize < 4096 fail every response with COMPRESSION_ERROR (the client's GOAWAY is then ignored and the
  // call hangs). Run with the real Node (nghttp2) client at /usr/bin/node.
  test.skipIf(Bun.which("node") === null)("a Node (nghttp2) client announcing headerTableSize 0 gets its response", async () => {
    const { port } = await serve((s) =>
      s.on("end", () => {
        s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        s.once("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
        s.end(Buffer.from("hi"));
      }),
    );
    const script = `
const s = require("node:http2").connect("http://127.0.0.1:${port}", { settings: { headerTableSize: 0 } });
s.on("error", (e) => { console.log("session error " + e.message); process.exit(0); });
s.on("goaway", (code) => console.log("client sent or got goaway " + code));
const req = s.request({ ":method": "POST", ":path": "/t", "content-type": "application/grpc" });
let out = "";
req.on("response", (h) => (out += "status=" + h[":status"] + " "));
req.on("data", (c) => (out += c));
req.on("trailers", (t) => (out += " grpc-status=" + t["grpc-status"]));
req.on("end", () => { console.log(out); process.exit(0); });
req.on("error", (e) => { console.log("stream error " + e.message); process.exit(0); });
req.end();
setTimeout(() => { console.log("timeout " + out); process.exit(0); }, 1500);
`;
    const child = Bun.spawn([Bun.which("node")!, "-e", script], { stdout: "pipe", stderr: "pipe" });
    cleanups.push(() => child.kill());
    const out = await new Response(child.stdout).text();
    expect(out.trim()).toBe("status=200 hi grpc-status=0");
  });

  // close() returns at once when a client GOAWAY set `goingAway`: no GOAWAY of ours and, with no open stream, the
  // socket is never ended (RpcServer.close() then waits its whole grace period and destroys it). Likewise a client
  // GOAWAY on an idle connection leaves it open for good.
  test("close() after the client's GOAWAY still ends an idle connection", async () => {
    const { port, conns } = await serve(() => {});
    const c = await RawClient.open(port);
    await until(() => conns.length > 0 && c.frames.length > 0);
    c.send(T.GOAWAY, 0, 0, Buffer.concat([u32(0), u32(0)]));
    await Bun.sleep(50);
    conns[0]!.close();
    expect(await until(() => c.closed || c.sock.readableEnded, 500)).toBe(true);
  });
});
