// Go's time.Duration.String, for log lines that print durations as etcd does ("1h0m0s", "1.5s", "273µs").
/** Fraction digits as Go prints them: up to 9, trailing zeros dropped. */
function frac(v: number): string {
  return v.toFixed(9).replace(/\.?0+$/, "");
}

/** Go's time.Duration.String for a duration in milliseconds: "1h0m0s", "30m0s", "1.5s", "100ms", "0s". */
export function goDuration(ms: number): string {
  let ns = Math.round(Math.abs(ms) * 1e6);
  const sign = ms < 0 ? "-" : "";
  if (ns === 0) return "0s";
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${frac(ns / 1e3)}µs`;
  if (ns < 1e9) return `${sign}${frac(ns / 1e6)}ms`;
  const h = Math.floor(ns / 3.6e12);
  ns -= h * 3.6e12;
  const m = Math.floor(ns / 6e10);
  ns -= m * 6e10;
  return `${sign}${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${frac(ns / 1e9)}s`;
}
