// cobra's default usage text, which etcdctl prints (on stderr) when a txn request line has a bad flag: the
// template "Usage:\n  <use line>\n\nFlags:\n<pflag FlagUsages>" with pflag's column layout (flag, type name,
// usage, "(default …)" when the default is not the zero value).
import type { FlagSpec } from "./flags.ts";

const TYPE_NAME: Record<FlagSpec["kind"], string> = { bool: "", string: "string", int: "int", duration: "duration", stringSlice: "strings" };
const ZERO: Record<FlagSpec["kind"], string> = { bool: "false", string: "", int: "0", duration: "0s", stringSlice: "[]" };

export function pflagUsages(flags: FlagSpec[]): string {
  const lines = [...flags]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => {
      let head = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
      if (TYPE_NAME[f.kind]) head += ` ${TYPE_NAME[f.kind]}`;
      let usage = f.usage;
      if (f.def !== ZERO[f.kind]) usage += f.kind === "string" ? ` (default ${JSON.stringify(f.def)})` : ` (default ${f.def})`;
      return { head, usage };
    });
  const width = Math.max(...lines.map((l) => l.head.length));
  // pflag measures the head with its trailing NUL separator: one more space than the widest head
  return lines.map((l) => `${l.head} ${" ".repeat(width + 1 - l.head.length)} ${l.usage}`.trimEnd()).join("\n");
}

/** UsageString() of a subcommand of an unnamed root (txn's request parser): note the leading space of the use line. */
export function cobraUsage(use: string, flags: FlagSpec[]): string {
  return `Usage:\n   ${use} [flags]\n\nFlags:\n${pflagUsages(flags)}\n\n`;
}
