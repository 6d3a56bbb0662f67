// go-humanize's Bytes (SI units, as etcdctl prints "total size"): below 10 "N B"; otherwise the value in
// the largest unit of 1000 it reaches, rounded to one decimal, printed with no decimal from 10 up and one
// below. Go's %.0f rounds halves to even; JavaScript's toFixed does not, so that case is done by hand.

const UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

function fixed0(v: number): string {
  const floor = Math.floor(v);
  if (v - floor === 0.5) return String(floor % 2 === 0 ? floor : floor + 1);
  return v.toFixed(0);
}

export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return val < 10 ? `${val.toFixed(1)} ${UNITS[e]}` : `${fixed0(val)} ${UNITS[e]}`;
}
