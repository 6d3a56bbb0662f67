// Go's text/tabwriter as etcdctl's help uses it (minwidth 0, tabwidth 8, padding 1, padchar '\t', no flags):
// elastic tab stops — a column block is a run of consecutive lines having a cell in that column; its width is
// the widest cell + 1 rounded up to a multiple of 8, and cells are padded with tabs.

const TABWIDTH = 8;

export function tabwrite(text: string): string {
  const lines = text.split("\n").map((l) => l.split("\t"));
  const widths: number[] = [];
  let out = "";
  const runeLen = (s: string) => [...s].length;

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((cell, j) => {
        out += cell;
        if (j < widths.length && j < line.length - 1) {
          const cellw = Math.ceil(widths[j]! / TABWIDTH) * TABWIDTH;
          out += "\t".repeat(Math.ceil((cellw - runeLen(cell)) / TABWIDTH));
        }
      });
      if (i + 1 < lines.length) out += "\n";
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = 0;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, runeLen(line[column]!) + 1);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out;
}
