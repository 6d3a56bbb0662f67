// For comparison tests: registers beforeAll/afterAll that start a real etcd (the reference) and the target
// (E2E_TARGET) with the same flags in fresh temp dirs, and stop both and remove the dirs afterwards.
import { afterAll, beforeAll } from "bun:test";
import { type Member, startEtcd } from "./etcd.ts";
import { target } from "./target.ts";
import { tempDirs } from "./tmp.ts";

export interface Pair {
  readonly name: string;
  /** both members; throws when start-up failed (so every test fails, none is skipped) */
  both(): { ref: Member; sut: Member };
}

export function refAndTarget(prefix: string, flags: string[] = [], timeoutMs = 60_000): Pair {
  const dirs = tempDirs(prefix);
  const tgt = target();
  let ref: Member | undefined;
  let sut: Member | undefined;
  beforeAll(async () => {
    [ref, sut] = await Promise.all([startEtcd(dirs.make("ref"), flags), tgt.start(dirs.make(tgt.name), flags)]);
  }, timeoutMs);
  afterAll(async () => {
    try {
      await Promise.all([ref?.stop(), sut?.stop()]);
    } finally {
      dirs.cleanup();
    }
  }, timeoutMs);
  return {
    name: tgt.name,
    both() {
      if (!ref || !sut) throw new Error(`servers not started (target ${tgt.name})`);
      return { ref, sut };
    },
  };
}
