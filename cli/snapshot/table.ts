// A table as etcdctl's `-w table` draws it (olekukonko/tablewriter with its defaults and ALIGN_RIGHT):
// +---+ borders, header titles upper-cased and centred (extra space on the right), cells right-aligned,
// one space of padding each side. Cells are ASCII (the snapshot status fields are).

function title(h: string): string {
  const t = h.replaceAll("_", " ").replaceAll(".", " ").trim();
  return (t === "" && h.length > 0 ? " " : t).toUpperCase();
}

export function renderTable(header: string[], rows: string[][]): string {
  const heads = header.map(title);
  const widths = heads.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const rule = "+" + widths.map((w) => "-".repeat(w + 2)).join("+") + "+";
  const centre = (s: string, w: number) => {
    const left = Math.floor((w - s.length) / 2);
    return " ".repeat(left) + s + " ".repeat(w - s.length - left);
  };
  const line = (cells: string[]) => "| " + cells.join(" | ") + " |";
  const out = [rule, line(heads.map((h, i) => centre(h, widths[i]))), rule];
  for (const r of rows) out.push(line(widths.map((w, i) => (r[i] ?? "").padStart(w))));
  out.push(rule);
  return out.join("\n") + "\n";
}
