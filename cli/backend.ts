// Offline commands on a backend (bbolt-format) file: `bunetcd backend check|stats|compact`.
// They take the file lock, so they refuse a file that a running server holds.
import { check } from "../engine/backend/check.ts";
import { compact } from "../engine/backend/compact.ts";
import { DB } from "../engine/backend/db.ts";
import { stats } from "../engine/backend/stats.ts";

const USAGE = `usage:
  bunetcd backend check FILE          verify every page and invariant; exit 1 and list problems if any
  bunetcd backend stats FILE          page and space statistics, per bucket
  bunetcd backend compact SRC DST     copy live data into a fresh file DST (etcd's fill percents)`;

/** etcd's schema: the revision-keyed `key` bucket is append-mostly and packed to 90 %. */
export const ETCD_FILL_PERCENT: Record<string, number> = { key: 0.9 };

export function runBackend(args: string[]): number {
  const [cmd, ...rest] = args;
  try {
    switch (cmd) {
      case "check": {
        if (rest.length !== 1) break;
        const db = DB.open(rest[0], { readOnly: true });
        const problems = db.view((tx) => check(tx));
        db.close();
        if (problems.length === 0) {
          console.log("OK");
          return 0;
        }
        for (const p of problems) console.log(p);
        console.error(`${rest[0]}: ${problems.length} problem(s) found`);
        return 1;
      }
      case "stats": {
        if (rest.length !== 1) break;
        const db = DB.open(rest[0], { readOnly: true });
        const s = db.view((tx) => stats(tx));
        db.close();
        printStats(s);
        return 0;
      }
      case "compact": {
        if (rest.length !== 2) break;
        const src = DB.open(rest[0], { readOnly: true });
        const dst = DB.open(rest[1], { fillPercent: ETCD_FILL_PERCENT });
        const r = compact(src, dst);
        const before = src.size;
        const after = dst.size;
        src.close();
        dst.close();
        console.log(`compacted ${rest[0]} (${before} bytes) -> ${rest[1]} (${after} bytes): ${r.buckets} buckets, ${r.keys} keys`);
        return 0;
      }
    }
  } catch (e) {
    console.error(`bunetcd backend ${cmd}: ${(e as Error).message}`);
    return 1;
  }
  console.error(USAGE);
  return 2;
}

function printStats(s: ReturnType<typeof stats>): void {
  console.log(`page size: ${s.pageSize}  txid: ${s.txid}  high water: ${s.highWater} pages  file: ${s.fileBytes} bytes`);
  const p = s.pages;
  console.log(`pages: meta ${p.meta}, freelist ${p.freelist}, branch ${p.branch}, leaf ${p.leaf}, free ${p.free}`);
  const pct = s.treeBytes ? ((100 * s.kvBytes) / s.treeBytes).toFixed(1) : "0";
  console.log(`keys+values: ${s.kvBytes} bytes in ${s.treeBytes} bytes of tree pages (${pct}% used)`);
  console.log("bucket\tkeys\tdepth\tbranch\tleaf\toverflow\tleaf use\tinline");
  for (const [name, b] of [...s.buckets].sort(([a], [c]) => (a < c ? -1 : 1))) {
    const use = b.leafAlloc ? `${((100 * b.leafInuse) / b.leafAlloc).toFixed(1)}%` : "-";
    console.log(`${name}\t${b.keys}\t${b.depth}\t${b.branchPages}\t${b.leafPages}\t${b.leafOverflow + b.branchOverflow}\t${use}\t${b.inline ? "yes" : "no"}`);
  }
}
