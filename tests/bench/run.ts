// Benchmark runner: `bun run bench [name [row ...]] ...` runs tests/bench/<name>.ts (all when none named).
// Each bench module default-exports an async function (options, rows) that prints its own table(s); `--x=y`
// arguments are options for every bench run. A word that names no benchmark selects rows of the benchmark named
// before it (e.g. `bun run bench server watch lease`); the module lists what it accepts in its exported ROWS, and
// with no row words it runs all of them.
import { readdirSync } from "node:fs";
import { join } from "node:path";

const here = import.meta.dir;
const all = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !["run.ts", "table.ts"].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
const options = process.argv.slice(2).filter((a) => a.startsWith("-"));
const plan: { name: string; rows: string[] }[] = [];
for (const word of process.argv.slice(2).filter((a) => !a.startsWith("-"))) {
  if (all.includes(word)) plan.push({ name: word, rows: [] });
  else if (plan.length) plan.at(-1)!.rows.push(word);
  else fail(`unknown benchmark "${word}"; have: ${all.join(", ")}`);
}
if (!plan.length) plan.push(...all.map((name) => ({ name, rows: [] })));
const mods = await Promise.all(plan.map(async (p) => {
  const mod = await import(join(here, `${p.name}.ts`));
  const rows: readonly string[] = mod.ROWS ?? [];
  const bad = p.rows.filter((r) => !rows.includes(r));
  if (bad.length) fail(`bench ${p.name}: unknown row(s) ${bad.join(", ")}; ${rows.length ? `have: ${rows.join(", ")}` : "it has no row selection"}`);
  return mod;
}));
for (const [i, p] of plan.entries()) {
  console.log(`\n## bench ${p.name}${p.rows.length ? ` (${p.rows.join(", ")})` : ""}\n`);
  await mods[i].default(options, p.rows);
}
