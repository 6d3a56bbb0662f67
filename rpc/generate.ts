// Regenerates rpc/gen/ (TypeScript for @bufbuild/protobuf 2.x) from the protos in rpc/proto/, with the
// buf CLI shipped by the @bufbuild/buf npm package and the local protoc-gen-es plugin. Run: `bun run gen` (bun rpc/generate.ts).
// Deterministic: the output is fully replaced, so a clean rerun leaves `git diff rpc/gen` empty.
import { rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const bin = join(root, "node_modules", ".bin");
const out = join(root, "rpc", "gen");
const template = {
  version: "v2",
  plugins: [{ local: join(bin, "protoc-gen-es"), out, opt: ["target=ts", "import_extension=ts"] }],
};

rmSync(out, { recursive: true, force: true });
const p = Bun.spawnSync([join(bin, "buf"), "generate", join(root, "rpc", "proto"), "--template", JSON.stringify(template)], {
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
});
if (p.exitCode !== 0) process.exit(p.exitCode ?? 1);
console.log(`generated ${out}`);
