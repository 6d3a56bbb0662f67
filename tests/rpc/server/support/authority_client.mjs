// Run with node (not bun): node's HTTP/2 client (nghttp2's HPACK encoder) sends the requests given as JSON in
// argv[3] one after another on ONE connection to argv[2], so later requests reuse (and evict) dynamic table entries
// made by earlier ones. Each request is {authority, marker, sensitive?}; nghttp2 Huffman-codes a string only when
// that is shorter, so authorities full of long-code characters go raw. Prints one JSON array of
// {marker, status, body} or {marker, error}.
import { connect, sensitiveHeaders } from "node:http2";

const [origin, json] = process.argv.slice(2);
const requests = JSON.parse(json);
const session = connect(origin);
session.on("error", () => {});

function send({ authority, marker, sensitive }) {
  return new Promise((resolve) => {
    const headers = { ":method": "GET", ":path": "/echo", ":authority": authority, "x-marker": marker };
    if (sensitive) headers[sensitiveHeaders] = [":authority"];
    const req = session.request(headers, { endStream: true });
    let status = 0;
    let body = "";
    req.on("response", (h) => (status = h[":status"]));
    req.setEncoding("utf8");
    req.on("data", (d) => (body += d));
    req.on("end", () => resolve({ marker, status, body }));
    req.on("error", (e) => resolve({ marker, error: e.code ?? String(e) }));
  });
}

const results = [];
for (const r of requests) results.push(await send(r));
session.close();
console.log(JSON.stringify(results));
