// Temporary directories for tests that start servers: made under the OS temp dir, all removed by cleanup().
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempDirs(prefix: string) {
  const made: string[] = [];
  return {
    make(name = ""): string {
      const d = mkdtempSync(join(tmpdir(), `${prefix}${name}-`));
      made.push(d);
      return d;
    },
    cleanup(): void {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
