// The version bunetcd reports, and the etcd API version it speaks.
import pkg from "../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
/** The etcd release whose API and behaviour bunetcd follows. */
export const ETCD_COMPAT_VERSION = "3.4.23";
