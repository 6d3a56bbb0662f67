// etcdctl's endpointMemoryMetrics (util.go): GET <endpoint>/metrics and read process_resident_memory_bytes.
// Failures print etcdctl's one-line reason on stdout and give 0 (the caller then fails the check).
// With https, the client certificate of --cert/--key is presented (server verification follows
// --insecure-skip-tls-verify, as etcdctl's http.Transport does).
import { readFileSync } from "node:fs";
import type { ClientConfig } from "../global_flags.ts";
import type { Sink } from "../io.ts";

const KEY = "process_resident_memory_bytes";

export async function endpointMemoryMetrics(endpoint: string, cfg: ClientConfig, certFiles: { cert: string; key: string }, sink: Sink): Promise<number> {
  const host = /^https?:\/\//.test(endpoint) ? endpoint : `http://${endpoint}`;
  const url = `${host}/metrics`;
  let tls: { cert: Buffer; key: Buffer; rejectUnauthorized: boolean } | undefined;
  if (host.startsWith("https://")) {
    try {
      tls = { cert: readFileSync(certFiles.cert), key: readFileSync(certFiles.key), rejectUnauthorized: !cfg.tls?.insecureSkipVerify };
    } catch (e) {
      sink.out(`client certificate error: ${(e as Error).message}\n`);
      return 0;
    }
  }
  let text: string;
  try {
    text = await (await fetch(url, tls ? { tls } : {})).text();
  } catch (e) {
    sink.out(`fetch error: ${(e as Error).message}\n`);
    return 0;
  }
  const line = text.split("\n").find((l) => l.startsWith(KEY));
  if (line === undefined) {
    sink.out(`could not find: ${KEY}\n`);
    return 0;
  }
  const value = line.slice(KEY.length).trim();
  const n = Number(value);
  if (value === "" || Number.isNaN(n)) {
    sink.out(`parse error: strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax\n`);
    return 0;
  }
  return n;
}
