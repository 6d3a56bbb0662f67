// etcdctl's password prompt (bgentry/speakeasy) for `--user name` without a password: "Password: " on stdout,
// echo turned off through stty (which, on a non-terminal stdin, complains twice on stderr as speakeasy's stty
// calls do), one line read from stdin, then a newline.
import { readSync } from "node:fs";
import type { Sink } from "./io.ts";

const STTY_ERROR = "stty: 'standard input': Inappropriate ioctl for device\n";

function readLineSync(): string {
  const buf = Buffer.alloc(1);
  const bytes: number[] = [];
  for (;;) {
    let n = 0;
    try {
      n = readSync(0, buf, 0, 1, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      break;
    }
    if (n === 0 || buf[0] === 0x0a) break;
    bytes.push(buf[0]!);
  }
  return Buffer.from(bytes).toString("utf8").replace(/\r$/, "");
}

export function askPassword(sink: Sink): string {
  sink.out("Password: ");
  const tty = process.stdin.isTTY;
  if (!tty) sink.err(STTY_ERROR);
  if (tty) Bun.spawnSync(["stty", "-echo"], { stdin: "inherit" });
  const pw = readLineSync();
  if (tty) Bun.spawnSync(["stty", "echo"], { stdin: "inherit" });
  else sink.err(STTY_ERROR);
  sink.out("\n");
  return pw;
}
