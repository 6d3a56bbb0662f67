// olekukonko/tablewriter's default rendering as etcdctl uses it: "+---+" borders, upper-cased headers
// centred, cells right-aligned (SetAlignment(ALIGN_RIGHT)), cells wider than 30 columns word-wrapped onto
// several lines, one space of padding on each side.

const MAX_WIDTH = 30;

const width = (s: string) => [...s].length;

/** tablewriter.WrapString: greedy word wrap at `lim` columns (a longer word stays whole). */
function wrap(s: string, lim: number): string[] {
  const words = s.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [s];
  const lines: string[] = [];
  let cur = "";
  for (const w of words) {
    if (cur === "") cur = w;
    else if (width(cur) + 1 + width(w) <= lim) cur += ` ${w}`;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  lines.push(cur);
  return lines;
}

function cellLines(s: string): string[] {
  if (width(s) <= MAX_WIDTH) return [s];
  const longest = Math.max(...s.split(/\s+/).map(width));
  return wrap(s, Math.max(MAX_WIDTH, longest));
}

function title(h: string): string {
  const t = h.replaceAll("_", " ").replaceAll(".", " ").trim();
  return (t.length === 0 && h.length > 0 ? " " : t).toUpperCase();
}

const center = (s: string, w: number) => {
  const gap = w - width(s);
  const left = Math.floor(gap / 2);
  return " ".repeat(left) + s + " ".repeat(gap - left);
};
const right = (s: string, w: number) => " ".repeat(w - width(s)) + s;

export function renderTable(hdr: string[], rows: string[][]): string {
  const heads = hdr.map(title);
  const cells = rows.map((r) => r.map(cellLines));
  const widths = heads.map((h, i) => Math.max(width(h), ...cells.map((r) => Math.max(0, ...(r[i] ?? [""]).map(width)))));
  const border = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+\n`;
  let out = border;
  out += `|${heads.map((h, i) => ` ${center(h, widths[i]!)} `).join("|")}|\n`;
  out += border;
  for (const r of cells) {
    const height = Math.max(1, ...r.map((c) => c.length));
    for (let l = 0; l < height; l++) out += `|${widths.map((w, i) => ` ${right(r[i]?.[l] ?? "", w)} `).join("|")}|\n`;
  }
  out += border;
  return out;
}
