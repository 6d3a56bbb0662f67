// connect() options against in-process servers (serve()): TLS with client certificates, endpoints that refuse
// connections, and argument checks.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { serve } from "../../../cli/server/serve_in_process.ts";
import { connect } from "../../../rpc/client/connect.ts";
import { EtcdError } from "../../../rpc/client/errors.ts";
import { freePort } from "../../support/ports.ts";
import { tempDirs } from "../../support/tmp.ts";
import { haveOpenssl, makeTestPki } from "../../support/tls_certs.ts";

const dirs = tempDirs("bunetcd-connect");
afterAll(() => dirs.cleanup());
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

describe("connect()", () => {
  test.skipIf(!haveOpenssl)("TLS with a CA and a client certificate (serve() with client-cert-auth)", async () => {
    const pki = makeTestPki(dirs.make());
    const s = await serve({
      dir: dirs.make(), listen: "https://127.0.0.1:0", log: "silent",
      tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, trustedCaFile: pki.caFile, clientCertAuth: true },
    });
    try {
      expect(s.url).toStartWith("https://127.0.0.1:");
      const ok = await connect({ endpoints: [s.url], tls: { ca: readFileSync(pki.caFile), cert: readFileSync(pki.clientCertFile), key: readFileSync(pki.clientKeyFile) } });
      await ok.put("tls", "yes");
      expect(text((await ok.get("tls"))?.value)).toBe("yes");
      await ok.close();
      const untrusted = await connect({ endpoints: [s.url], tls: { ca: readFileSync(pki.otherCaFile) } });
      await expect(untrusted.get("tls")).rejects.toBeInstanceOf(EtcdError);
      await untrusted.close();
    } finally {
      await s.close();
    }
  });

  test("an endpoint that refuses connections is skipped: the call goes to the next endpoint", async () => {
    const s = await serve({ dir: dirs.make(), listen: "127.0.0.1:0", log: "silent" });
    const dead = `127.0.0.1:${await freePort()}`;
    const db = await connect({ endpoints: [dead, s.url] });
    try {
      await db.put("k", "v");
      expect(text((await db.get("k"))?.value)).toBe("v");
    } finally {
      await db.close();
      await s.close();
    }
  });

  test("with no endpoint reachable, calls fail Unavailable (after a few quick retries)", async () => {
    const db = await connect(`127.0.0.1:${await freePort()}`);
    const started = Date.now();
    const err = await db.put("k", "v").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EtcdError);
    expect((err as EtcdError).code).toBe("Unavailable");
    expect(Date.now() - started).toBeLessThan(5000);
    await db.close();
  });

  test("arguments are checked; a closed client refuses calls", async () => {
    await expect(connect({ endpoints: [] })).rejects.toThrow(TypeError);
    const db = await connect("127.0.0.1:1");
    await db.close();
    await expect(db.get("k")).rejects.toMatchObject({ code: "Canceled" });
  });
});
