// Benchmark runner: `bun run bench [name ...]` runs tests/bench/<name>.ts (all when none named).
// Each bench module default-exports an async function that prints its own table(s).
import { readdirSync } from "node:fs";
import { join } from "node:path";

const here = import.meta.dir;
const all = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !["run.ts", "table.ts"].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : all;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; have: ${all.join(", ")}`);
    process.exit(2);
  }
  const mod = await import(join(here, `${name}.ts`));
  console.log(`\n## bench ${name}\n`);
  await mod.default(process.argv.slice(2).filter((a) => a.startsWith("-")));
}
