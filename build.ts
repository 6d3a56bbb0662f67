// Builds the single executable: `bun build --compile` of cli/main.ts → dist/bunetcd.
import { mkdirSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const result = await Bun.build({
  entrypoints: ["./cli/main.ts"],
  compile: { outfile: "./dist/bunetcd" },
  minify: true,
  sourcemap: "linked",
  target: "bun",
});
if (!result.success) {
  for (const m of result.logs) console.error(m);
  process.exit(1);
}
console.log("built dist/bunetcd");
