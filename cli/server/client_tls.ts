// TLS on the client port, decided as etcd 3.4 decides it (embed/etcd.go configureClientListeners, pkg/transport
// TLSInfo): only https:// (and unixs://) URLs are served with TLS; certificates given with http:// URLs are ignored
// with a warning; an https:// URL without --cert-file/--key-file is a fatal error before the member starts; the
// files are read when the listener starts (so etcd's "open …: no such file or directory" comes after "ready").
// A client certificate is required and verified when --client-cert-auth or --trusted-ca-file is set (etcd 3.4
// requires one whenever a trusted CA is configured); without a trusted CA it is verified against the system roots.
import { readFileSync } from "node:fs";
import type { RpcTlsOptions } from "../../rpc/index.ts";
import type { ServerConfig, TlsConfig } from "./config.ts";

/** etcd's TLSInfo.Empty(): no certificate and no key. */
export function tlsEmpty(t: TlsConfig): boolean {
  return t.certFile === "" && t.keyFile === "";
}

export function isTlsUrl(url: string): boolean {
  return url.startsWith("https:") || url.startsWith("unixs:");
}

export interface ClientUrlCheck {
  /** Warnings etcd logs (embed) for http:// URLs given certificates or --client-cert-auth. */
  warnings: string[];
  /** The fatal error etcd reports (etcdmain) for an https:// URL without certificate and key. */
  error?: string;
}

/** configureClientListeners' per-URL checks, with etcd's (capnslog) messages. */
export function checkClientUrls(cfg: ServerConfig): ClientUrlCheck {
  const t = cfg.clientTls;
  const warnings: string[] = [];
  for (const u of cfg.listenClientUrls) {
    if (u.startsWith("http:") || u.startsWith("unix:")) {
      if (!tlsEmpty(t)) warnings.push(`The scheme of client url ${u} is HTTP while peer key/cert files are presented. Ignored key/cert files.`);
      if (t.clientCertAuth) warnings.push(`The scheme of client url ${u} is HTTP while client cert auth (--client-cert-auth) is enabled. Ignored client cert auth for this url.`);
    }
    if (isTlsUrl(u) && tlsEmpty(t)) return { warnings, error: `TLS key/cert (--cert-file, --key-file) must be provided for client url ${u} with HTTPS scheme` };
  }
  return { warnings };
}

/** etcd's "ClientTLS: …" start-up line (TLSInfo.String()), or undefined when no certificate is configured. */
export function describeClientTls(cfg: ServerConfig): string | undefined {
  const t = cfg.clientTls;
  if (tlsEmpty(t)) return undefined;
  const crl = cfg.raw.get("client-crl-file") ?? "";
  return `ClientTLS: cert = ${t.certFile}, key = ${t.keyFile}, trusted-ca = ${t.trustedCaFile}, client-cert-auth = ${t.clientCertAuth}, crl-file = ${crl}`;
}

/** Go's os.Open error text for the common failures ("open ca.crt: no such file or directory"). */
function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new Error(`open ${path}: ${why}`);
  }
}

/** Reads the certificate files for an https:// listener; throws with etcd's message. */
export function loadClientTls(t: TlsConfig): RpcTlsOptions {
  if (t.certFile === "" || t.keyFile === "") throw new Error(`KeyFile and CertFile must both be present[key: ${t.keyFile}, cert: ${t.certFile}]`);
  const cert = readPem(t.certFile);
  const key = readPem(t.keyFile);
  const ca = t.trustedCaFile ? readPem(t.trustedCaFile) : undefined;
  return { cert, key, ca, requestClientCert: t.clientCertAuth || ca !== undefined };
}
