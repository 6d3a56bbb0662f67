// rpc/server/h2's HTTP/2 connection driven by a real HTTP/2 client (node:http2 in Bun) over loopback TCP:
// request headers and DATA in, response HEADERS/DATA/trailers out; flow control both ways (a response far
// larger than the client's window, a request larger than our stream window); a large header block (HEADERS +
// CONTINUATION); client resets; PING; GOAWAY on close; a bad preface ends the connection.
import { afterEach, expect, test } from "bun:test";
import { connect as h2connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from "node:http2";
import { connect as netConnect, createServer, type AddressInfo, type Server } from "node:net";
import { Duplex } from "node:stream";
import { H2Connection } from "../../../rpc/server/h2/connection.ts";
import type { H2ServerStream } from "../../../rpc/server/h2/server_stream.ts";
import type { DecodedHeaders } from "../../../rpc/server/hpack/decoder.ts";
import { frame, literal } from "./support/hpack_builder.ts";

type Handler = (stream: H2ServerStream, headers: DecodedHeaders) => void;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function serve(handler: Handler): Promise<{ url: string; server: Server; conns: H2Connection[] }> {
  const conns: H2Connection[] = [];
  const server = createServer((socket) => conns.push(new H2Connection(socket, handler)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, conns };
}

function client(url: string, settings?: { initialWindowSize?: number }): ClientHttp2Session {
  const s = h2connect(url, settings ? { settings } : {});
  s.on("error", () => {});
  cleanups.push(() => s.destroy());
  return s;
}

/** One request: resolves with the response headers, body and trailers. */
function request(s: ClientHttp2Session, headers: Record<string, string>, body?: Uint8Array) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer; trailers: IncomingHttpHeaders }>((resolve, reject) => {
    const req = s.request({ ":method": "POST", ":path": "/t", ...headers });
    const chunks: Buffer[] = [];
    let h: IncomingHttpHeaders = {};
    let t: IncomingHttpHeaders = {};
    req.on("response", (x) => (h = x));
    req.on("trailers", (x) => (t = x));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve({ headers: h, body: Buffer.concat(chunks), trailers: t }));
    req.on("error", reject);
    req.end(body);
  });
}

/** Answers with `body` and a grpc-status trailer once the request is complete; reports what arrived. */
function answer(body: (received: Buffer, headers: DecodedHeaders) => Uint8Array): Handler {
  return (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Uint8Array) => chunks.push(Buffer.from(c)));
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(body(Buffer.concat(chunks), headers));
    });
  };
}

test("a request's headers and body reach the handler; its response headers, body and trailers reach the client", async () => {
  let seen: DecodedHeaders = {};
  const { url } = await serve(answer((got, h) => ((seen = h), Buffer.from(`echo:${got.toString()}`))));
  const r = await request(client(url), { "content-type": "application/grpc", "x-meta": "m1" }, Buffer.from("hello"));
  expect(seen).toMatchObject({ ":method": "POST", ":path": "/t", "content-type": "application/grpc", "x-meta": "m1" });
  expect(Number(r.headers[":status"])).toBe(200);
  expect(r.headers["content-type"]).toBe("application/grpc");
  expect(r.body.toString()).toBe("echo:hello");
  expect(r.trailers["grpc-status"]).toBe("0");
});

test("many concurrent streams on one connection each get their own answer", async () => {
  const { url } = await serve(answer((got) => got));
  const s = client(url);
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => request(s, {}, Buffer.from(`req-${i}`))));
  results.forEach((r, i) => expect(r.body.toString()).toBe(`req-${i}`));
});

test("a response far larger than the client's window arrives whole (send-side flow control)", async () => {
  const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0).map((_, i) => i % 251);
  const { url } = await serve(answer(() => big));
  const s = client(url, { initialWindowSize: 1024 });
  const [a, b] = await Promise.all([request(s, {}), request(s, {})]);
  expect(a.body.equals(big)).toBe(true);
  expect(b.body.equals(big)).toBe(true);
});

test("a request larger than the stream window (1 MiB) is received whole (receive-side WINDOW_UPDATEs)", async () => {
  const { url } = await serve(answer((got) => Buffer.from(`${got.length}:${got.reduce((x, y) => (x + y) % 65536, 0)}`)));
  const body = Buffer.alloc(5 * 1024 * 1024 + 3).map((_, i) => i % 13);
  const r = await request(client(url), {}, body);
  expect(r.body.toString()).toBe(`${body.length}:${body.reduce((x, y) => (x + y) % 65536, 0)}`);
});

test("a header block over one frame (HEADERS + CONTINUATION) is decoded", async () => {
  let value = "";
  const { url } = await serve(answer((_, h) => ((value = h["x-big"] ?? ""), new Uint8Array(0))));
  const big = "b".repeat(40_000);
  await request(client(url), { "x-big": big });
  expect(value).toBe(big);
});

test("a client reset aborts and closes the server stream; write callbacks then fail", async () => {
  const events: string[] = [];
  let writeErr: unknown = "not called";
  const started = Promise.withResolvers<H2ServerStream>();
  const { url } = await serve((stream) => {
    stream.on("aborted", () => events.push("aborted"));
    stream.on("close", () => events.push("close"));
    started.resolve(stream);
  });
  const s = client(url, { initialWindowSize: 1 }); // our DATA stays queued: the client grants 1 octet
  const req = s.request({ ":method": "POST", ":path": "/t" });
  req.on("error", () => {});
  const stream = await started.promise;
  stream.respond({ ":status": 200 });
  stream.write(Buffer.alloc(1000), (e) => (writeErr = e));
  expect(stream.writableLength).toBeGreaterThan(0);
  req.close(constants.NGHTTP2_CANCEL);
  for (let i = 0; i < 100 && events.length < 2; i++) await Bun.sleep(10);
  expect(events).toEqual(["aborted", "close"]);
  expect(stream.aborted).toBe(true);
  expect(writeErr).toBeInstanceOf(Error);
});

test("PING is acknowledged", async () => {
  const { url } = await serve(answer(() => new Uint8Array(0)));
  const s = client(url);
  await new Promise<void>((r) => s.once("connect", () => r()));
  const ok = await new Promise<boolean>((r) => s.ping(Buffer.from("12345678"), (err) => r(!err)));
  expect(ok).toBe(true);
});

test("close() sends GOAWAY, lets the open stream finish and refuses nothing already started", async () => {
  const pending: H2ServerStream[] = [];
  const { url, conns } = await serve((stream) => pending.push(stream));
  const s = client(url);
  const goaway = new Promise<number>((r) => s.once("goaway", (code: number) => r(code)));
  const req = s.request({ ":method": "POST", ":path": "/t" });
  const done = new Promise<string>((r) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => r(body));
    req.on("error", () => r("error"));
  });
  req.end();
  for (let i = 0; i < 100 && pending.length === 0; i++) await Bun.sleep(10);
  conns[0]!.close();
  expect(await goaway).toBe(constants.NGHTTP2_NO_ERROR);
  pending[0]!.respond({ ":status": 200 });
  pending[0]!.end(Buffer.from("after goaway"));
  expect(await done).toBe("after goaway");
});

test("a connection that does not start with the client preface is ended with GOAWAY PROTOCOL_ERROR", async () => {
  const { url } = await serve(() => {});
  const port = Number(new URL(url).port);
  const got = await new Promise<Buffer>((resolve) => {
    const sock = netConnect(port, "127.0.0.1", () => sock.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    const chunks: Buffer[] = [];
    sock.on("data", (c: Buffer) => chunks.push(c));
    sock.on("close", () => resolve(Buffer.concat(chunks)));
    sock.on("error", () => {});
  });
  // server SETTINGS, WINDOW_UPDATE, then GOAWAY (type 7) with error code 1
  let at = 0;
  let goaway: number | undefined;
  while (at + 9 <= got.length) {
    const len = got.readUIntBE(at, 3);
    if (got[at + 3] === 7) goaway = got.readUInt32BE(at + 13);
    at += 9 + len;
  }
  expect(goaway).toBe(constants.NGHTTP2_PROTOCOL_ERROR);
});

test("frames split across socket chunks at every octet boundary are read the same", () => {
  const block = Buffer.concat([Buffer.from([0x83, 0x86]), literal("without", 4, "/etcdserverpb.KV/Put"), literal("without", 31, "application/grpc")]);
  const body = Buffer.from("0123456789abcdef".repeat(40));
  const wire = Buffer.concat([
    Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1"),
    frame(4, 0, 0, new Uint8Array(0)),
    frame(1, 4, 1, block), // HEADERS, END_HEADERS
    frame(0, 0, 1, body.subarray(0, 300)),
    frame(0, 1, 1, body.subarray(300)), // DATA, END_STREAM
  ]);
  for (const size of [1, 2, 3, 5, 8, 9, 10, 17, 64, 333]) {
    const seen: { path?: string; body: Buffer[]; ended: boolean } = { body: [], ended: false };
    const socket = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
    new H2Connection(socket, (stream, headers) => {
      seen.path = headers[":path"];
      stream.on("data", (c: Uint8Array) => seen.body.push(Buffer.from(c)));
      stream.on("end", () => (seen.ended = true));
    });
    for (let at = 0; at < wire.length; at += size) socket.emit("data", wire.subarray(at, at + size));
    expect({ size, path: seen.path, body: Buffer.concat(seen.body).toString(), ended: seen.ended }).toEqual({ size, path: "/etcdserverpb.KV/Put", body: body.toString(), ended: true });
  }
});
