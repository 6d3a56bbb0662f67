// The system under test for tests/e2e and the load tools: E2E_TARGET=bunetcd (default) or etcd (real etcd on
// both sides of every comparison: validates the harness itself).
import { type Member, startEtcd } from "./etcd.ts";
import { startBunetcd } from "./bunetcd.ts";

export type TargetName = "etcd" | "bunetcd";

export function targetName(): TargetName {
  const t = process.env.E2E_TARGET ?? "bunetcd";
  if (t !== "etcd" && t !== "bunetcd") throw new Error(`E2E_TARGET must be etcd or bunetcd, not ${t}`);
  return t;
}

export interface Target {
  name: TargetName;
  start(dataDir: string, extraArgs?: string[]): Promise<Member>;
}

export function target(): Target {
  const name = targetName();
  return { name, start: name === "etcd" ? startEtcd : startBunetcd };
}
