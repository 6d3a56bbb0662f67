// Test PKI made at test time with the `openssl` command: a CA, a server certificate for 127.0.0.1 / localhost and
// a client certificate, both signed by the CA, plus a second CA that signed nothing here (an "unknown authority").
// Files are PEM in `dir` (the caller's temp dir, removed by the caller); validity is one day.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestPki {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A self-signed CA that did not sign the certificates above. */
  otherCaFile: string;
}

export const haveOpenssl = Bun.which("openssl") !== null;

function openssl(dir: string, args: string[]): void {
  const r = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr.toString()}`);
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "1", "-subj", `/CN=${name}`]);
}

/** A key and a certificate `name`.crt signed by ca.crt, with the given X.509 v3 extensions. */
function makeLeaf(dir: string, name: string, extensions: string): void {
  openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", `${name}.ext`]);
}

export function makeTestPki(dir: string): TestPki {
  makeCa(dir, "ca");
  makeCa(dir, "other-ca");
  makeLeaf(dir, "server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
  makeLeaf(dir, "client", "extendedKeyUsage=clientAuth\n");
  const f = (n: string) => join(dir, n);
  return {
    caFile: f("ca.crt"),
    serverCertFile: f("server.crt"),
    serverKeyFile: f("server.key"),
    clientCertFile: f("client.crt"),
    clientKeyFile: f("client.key"),
    otherCaFile: f("other-ca.crt"),
  };
}
