// How the library's open() and serve() log: a level for etcd's lines on stderr, "silent", or a function that
// receives each line. A library stays quiet by default: only errors are written. `onError` also sees every
// error line (even when silent), so a failed start can be reported with the server's own words.
import { Logger } from "../server/log.ts";

/** "silent", a minimum level for stderr ("debug" … "error"), or a function receiving each log line. */
export type LogOption = "silent" | "debug" | "info" | "warn" | "error" | ((line: string) => void);

/** capnslog's level letter for errors: "2026-… E | pkg: msg". */
const isError = (line: string) => line.includes(" E | ");

export function loggerFor(opt: LogOption = "error", onError?: (line: string) => void): Logger {
  const out = typeof opt === "function" ? opt : opt === "silent" ? undefined : (line: string) => process.stderr.write(line + "\n");
  const level = typeof opt === "function" ? "debug" : opt === "silent" ? "error" : opt;
  return new Logger({
    level,
    sink: (line) => {
      if (onError && isError(line)) onError(line);
      out?.(line);
    },
  });
}
